"""A round's submission requirements: the coordinator picks a venue profile and adjusts it
(docs/venues.md). Flushes, never commits; every change is audited with what changed."""

from __future__ import annotations

from flask_babel import gettext as _

from .. import audit
from ..errors import OperationError
from ..extensions import db
from ..models import Round, RoundRequirements, User
from ..text.languages import is_supported
from ..venues.profiles import PROFILES, Requirements, requirements_for, row_values

WORD_LIMIT_MAX = 20_000  # the portal's own bound (portal/text/limits.py)


def _clean(requirements: Requirements) -> Requirements:
    for name in ("word_limit", "reduced_word_limit"):
        value = getattr(requirements, name)
        if value is not None and not 1 <= value <= WORD_LIMIT_MAX:
            raise OperationError(_("Enter a number of words from 1 to 20,000."), name)
    if (
        requirements.reduced_word_limit is not None
        and requirements.word_limit is not None
        and requirements.reduced_word_limit > requirements.word_limit
    ):
        raise OperationError(
            _("The reduced limit cannot be above the word limit."), "reduced_word_limit"
        )
    for name in ("languages", "title_languages"):
        codes = getattr(requirements, name)
        unknown = [code for code in codes if not is_supported(code)]
        if unknown:
            raise OperationError(
                _("Unknown language code: %(codes)s.", codes=", ".join(unknown)), name
            )
    return requirements


def set_requirements(actor: User, round_: Round, profile: str, **adjustments) -> RoundRequirements:
    """Start from `profile` and apply the coordinator's `adjustments` (fields of Requirements);
    stores the result as the round's requirements."""
    if not round_.can_edit(actor):
        raise OperationError(_("Only coordinators set a round's requirements."))
    if profile not in PROFILES:
        raise OperationError(_("Choose a venue profile."), "profile")
    wanted = _clean(PROFILES[profile].adjusted(**adjustments))
    before = requirements_for(round_)
    row = db.session.get(RoundRequirements, round_.id)
    if row is None:
        row = RoundRequirements(round_id=round_.id)
        db.session.add(row)
    values = row_values(wanted)
    for name, value in values.items():
        setattr(row, name, value)
    db.session.flush()
    old = row_values(before)
    changes = {name: [old[name], value] for name, value in values.items() if old[name] != value}
    if changes:
        audit.record(
            "round.requirements_set", round_, actor=actor, profile=profile, changes=changes
        )
    return row
