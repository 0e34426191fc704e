"""How the delivered file lists the signatories under the venue's rules: who signs in their own
name, in what order, and where the others go (a footnote to the title, "also on behalf of", or
nowhere); and the breakdown "signed by N organizations from M countries, K in ECOSOC status"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext, ngettext

from ..models.accreditation import EcosocStatus
from ..models.requirements import Eligibility, Grouping, Placement
from ..places import name_sort_key
from .eligibility import Accredited, meets
from .profiles import Requirements

_STATUS_RANK = {
    EcosocStatus.GENERAL: 0,
    EcosocStatus.SPECIAL: 1,
    EcosocStatus.ROSTER: 2,
}


@dataclass(frozen=True)
class Signer:
    """One name of a list (frozen at approval, or live) and its organization when known."""

    name: str
    country: str = ""
    organization: Accredited | None = None

    @property
    def in_ecosoc_status(self) -> bool:
        return self.organization is not None and self.organization.in_ecosoc_status


@dataclass
class Arrangement:
    listed: list[Signer] = field(default_factory=list)
    title_footnote: list[Signer] = field(default_factory=list)
    also_on_behalf: list[Signer] = field(default_factory=list)
    left_out: list[Signer] = field(default_factory=list)


def _rank(signer: Signer) -> int:
    if not signer.in_ecosoc_status or signer.organization is None:
        return len(_STATUS_RANK)
    return _STATUS_RANK.get(EcosocStatus(signer.organization.ecosoc_status), len(_STATUS_RANK))


def _ordered(signers: list[Signer], grouping: Grouping) -> list[Signer]:
    if grouping == Grouping.ALPHABETICAL:
        return sorted(signers, key=lambda s: name_sort_key(s.name))
    if grouping == Grouping.BY_STATUS:
        return sorted(signers, key=lambda s: (_rank(s), name_sort_key(s.name)))
    return list(signers)  # the statement's own order, as given


def arrange(signers: Iterable[Signer], requirements: Requirements, process_id: int) -> Arrangement:
    eligible: list[Signer] = []
    others: list[Signer] = []
    for signer in signers:
        org = signer.organization
        ok = meets(org, requirements.signers, process_id) if org is not None else False
        (eligible if ok or _anyone(requirements) else others).append(signer)
    arrangement = Arrangement(listed=_ordered(eligible, requirements.grouping))
    others = _ordered(others, requirements.grouping)
    if requirements.others == Placement.TITLE_FOOTNOTE:
        arrangement.title_footnote = others
    elif requirements.others == Placement.ALSO_ON_BEHALF:
        arrangement.also_on_behalf = others
    else:
        arrangement.left_out = others
    return arrangement


def _anyone(requirements: Requirements) -> bool:
    # Anyone may sign: a name whose organization is not known (an old frozen list) is listed.
    return requirements.signers == Eligibility.ANYONE


@dataclass(frozen=True)
class Breakdown:
    organizations: int
    countries: int
    in_ecosoc_status: int

    @property
    def sentence(self) -> str:
        # One sentence for translators; its counts carry their own plurals.
        return gettext(
            "Signed by %(organizations)s from %(countries)s, %(ecosoc)s in ECOSOC status",
            organizations=ngettext(
                "%(num)d organization", "%(num)d organizations", self.organizations
            ),
            countries=ngettext("%(num)d country", "%(num)d countries", self.countries),
            ecosoc=self.in_ecosoc_status,
        )


def breakdown(signers: Iterable[Signer]) -> Breakdown:
    signers = list(signers)
    countries = {s.country for s in signers if s.country}
    return Breakdown(len(signers), len(countries), sum(1 for s in signers if s.in_ecosoc_status))
