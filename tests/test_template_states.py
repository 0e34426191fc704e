"""Templates ask the models (`statement.is_published`, `drafter.is_invited`, `can_*`) and never
compare a state string: what a state means is decided once, in the models and their tables."""

import re
from pathlib import Path

from portal.models import (
    AccreditationState,
    DrafterState,
    JobState,
    MembershipState,
    OutboxStatus,
    SignatureState,
    StatementState,
    VerificationStatus,
)
from portal.signons.listing import Standing

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATES = {
    value
    for enum in (
        StatementState, SignatureState, MembershipState, DrafterState, VerificationStatus,
        JobState, OutboxStatus, Standing, AccreditationState,
    )
    for value in enum
}  # fmt: skip
JINJA = re.compile(r"{[{%](.*?)[%}]}", re.S)
# `x.state == ...`, `status != ...`, `standing in ...`: a comparison whose left side is a state.
STATE_OPERAND = re.compile(r"\b(state|status|standing)\s*(==|!=|\bin\b|\bnot\s+in\b)")
LITERAL = re.compile(r"""(==|!=)\s*(['"])([a-z_]+)\2|(['"])([a-z_]+)\4\s*(==|!=)""")


def comparisons(text: str) -> list[str]:
    found = []
    for expression in JINJA.findall(text):
        if STATE_OPERAND.search(expression):
            found.append(expression.strip())
            continue
        for match in LITERAL.finditer(expression):
            if (match.group(3) or match.group(5)) in STATES:
                found.append(expression.strip())
    return found


def test_the_scan_sees_a_comparison():
    assert comparisons("{% if statement.state == 'approved' %}")
    assert comparisons("{% if 'pending' != sig.state %}")
    assert comparisons("{{ 'a' if org.status in ['pending'] else 'b' }}")
    assert comparisons("{% if filters.kind == 'approved' %}")
    assert not comparisons("{% if statement.is_published %}<span class='badge-{{ sig.state }}'>")
    assert not comparisons("{% if role.value == 'signatory' %}")


def test_no_template_compares_a_state_string():
    offenders = {
        str(path.relative_to(TEMPLATES)): found
        for path in sorted(TEMPLATES.rglob("*"))
        if path.is_file() and path.suffix in (".html", ".txt", ".xml")
        for found in [comparisons(path.read_text(encoding="utf-8"))]
        if found
    }
    assert not offenders, offenders
