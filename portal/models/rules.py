"""The rules a model's `can_<verb>` asks but that live a layer above the models, beside the
transition tables they read (docs/architecture.md): the models import no feature, so create_app
(portal/__init__.py, `_connect_rules`) plugs each rule in here once.

- "statement_permits" (statement, action, user): portal/statements/workflow.py `permits`
- "signature_permits" (signature, action, user): portal/signons/transitions.py `permits`
- "can_remind" (statement, user): portal/desk/reminders.py `can_remind`
"""

from collections.abc import Callable

_rules: dict[str, Callable[..., bool]] = {}


def connect(name: str, rule: Callable[..., bool]) -> None:
    _rules[name] = rule


def ask(name: str, *args) -> bool:
    try:
        rule = _rules[name]
    except KeyError:
        raise RuntimeError(f"No rule {name!r}: create_app connects the models' rules.") from None
    return rule(*args)
