"""Who may lead and who may sign in the venue's own name, and where the others go. Read from
the organization's verified accreditation (portal/models/accreditation.py), whatever path its
signature came by: an account's sign-on, the public form or a coordinator's import."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from flask_babel import gettext as _

from ..models.accreditation import AccreditationKind, EcosocStatus
from ..models.requirements import Eligibility, Placement
from .profiles import Requirements


class HeldAccreditation(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def verified(self) -> bool: ...


class Accredited(Protocol):
    """What the rules read of an organization: an Organization, or a light row of a long list
    (signers.SignerOrg)."""

    @property
    def id(self) -> int: ...
    @property
    def ecosoc_status(self) -> str: ...
    @property
    def in_ecosoc_status(self) -> bool: ...
    @property
    def display_un_name(self) -> str: ...
    def accreditations_in(self, process_id: int) -> Sequence[HeldAccreditation]: ...


def meets(organization: Accredited, rule: Eligibility, process_id: int) -> bool:
    if rule == Eligibility.ECOSOC:
        return organization.in_ecosoc_status
    if rule == Eligibility.ADMITTED:
        return any(
            a.kind == AccreditationKind.ADMITTED_OBSERVER and a.verified
            for a in organization.accreditations_in(process_id)
        )
    return True


def in_reduced_status(organization: Accredited) -> bool:
    """Special or roster status, verified: the lower word limit of HRC and CSW applies."""
    return organization.in_ecosoc_status and organization.ecosoc_status in (
        EcosocStatus.SPECIAL,
        EcosocStatus.ROSTER,
    )


def rule_text(rule: Eligibility) -> str:
    if rule == Eligibility.ECOSOC:
        return _("organizations in verified ECOSOC consultative status")
    if rule == Eligibility.ADMITTED:
        return _("verified admitted observers of the process")
    return _("any organization")


def placement_notice(
    organization: Accredited, requirements: Requirements, process_id: int
) -> str | None:
    """What a sign-on by `organization` becomes under the venue's rules, in a sentence for the
    signer and the lead; None when it signs like any other."""
    if meets(organization, requirements.signers, process_id):
        return None
    return placement_sentence(organization.display_un_name, requirements)


def placement_sentence(name: str, requirements: Requirements) -> str:
    """Where `name`, which may not sign in its own name, goes under the venue's rules."""
    who = rule_text(requirements.signers)
    if requirements.others == Placement.TITLE_FOOTNOTE:
        return _(
            "The venue lists only %(who)s as signatories: %(name)s will be named in a "
            "footnote to the title.",
            who=who,
            name=name,
        )
    if requirements.others == Placement.ALSO_ON_BEHALF:
        return _(
            "The venue lists only %(who)s as signatories: %(name)s will follow them, under "
            "“also on behalf of”.",
            who=who,
            name=name,
        )
    return _(
        "The venue lists only %(who)s as signatories: %(name)s will not appear in the "
        "delivered file.",
        who=who,
        name=name,
    )
