"""The password rules, one place for registration, reset and change: a length, not one of the
most common passwords (data/common-passwords.txt), and not the person's own name or address."""

import re
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

from flask_babel import gettext as _

from ..errors import OperationError

MIN_PASSWORD_LENGTH = 10
# scrypt runs over the whole input: a cap keeps a huge "password" from costing seconds.
MAX_PASSWORD_LENGTH = 256
COMMON_PASSWORDS = Path(__file__).parent / "data" / "common-passwords.txt"
# How alike a password and a name or address may be (difflib's ratio; Django uses the same).
MAX_SIMILARITY = 0.7


@cache
def common_passwords() -> frozenset[str]:
    with open(COMMON_PASSWORDS, encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip() and not line.startswith("#"))


def _letters(value: str) -> str:
    return re.sub(r"[\W_]+", "", value.lower())


def _personal_parts(name: str | None, email: str | None) -> list[str]:
    parts = [name or "", email or ""]
    if email and "@" in email:
        parts.append(email.split("@", 1)[0])
    return [p for p in (_letters(part) for part in parts) if len(p) >= 4]


def resembles(password: str, *, name: str | None = None, email: str | None = None) -> bool:
    candidate = _letters(password)
    for part in _personal_parts(name, email):
        if part in candidate or candidate in part:
            return True
        if SequenceMatcher(None, candidate, part).quick_ratio() >= MAX_SIMILARITY and (
            SequenceMatcher(None, candidate, part).ratio() >= MAX_SIMILARITY
        ):
            return True
    return False


def check_password_rules(
    password: str, field: str = "password", *, name: str | None = None, email: str | None = None
) -> None:
    """Raise OperationError (naming the form field) when `password` breaks a rule."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise OperationError(
            _(
                "Choose a password of at least %(min_password_length)s characters.",
                min_password_length=MIN_PASSWORD_LENGTH,
            ),
            field,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise OperationError(
            _(
                "Use at most %(max_password_length)s characters.",
                max_password_length=MAX_PASSWORD_LENGTH,
            ),
            field,
        )
    if password.lower() in common_passwords() or _letters(password) in common_passwords():
        raise OperationError(
            _(
                "This password is on the list of the most common passwords, the first ones an "
                "attacker tries. Choose another, for instance a few unrelated words."
            ),
            field,
        )
    if resembles(password, name=name, email=email):
        raise OperationError(
            _("This password is too close to your name or e-mail address. Choose another."), field
        )
