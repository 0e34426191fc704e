"""Venue profiles: what each venue accepts, as data. A coordinator picks one for a round and
adjusts it (models/requirements.py keeps the adjusted copy); each value's source is cited in
docs/venues.md."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import Round
from ..models.requirements import (
    Deliverable,
    Eligibility,
    Footnotes,
    Grouping,
    Placement,
    RoundRequirements,
)


@dataclass(frozen=True)
class Requirements:
    profile: str
    word_limit: int | None = None
    # A lower limit for leads in special or roster ECOSOC status (HRC), else None.
    reduced_word_limit: int | None = None
    count_footnotes: bool = False
    count_signatories: bool = False
    count_cover: bool = False
    languages: tuple[str, ...] = ()  # empty: any language
    title_languages: tuple[str, ...] = ()  # the title must also be given in each of these
    footnotes: Footnotes = Footnotes.ALLOWED
    lead: Eligibility = Eligibility.ANYONE
    signers: Eligibility = Eligibility.ANYONE
    others: Placement = Placement.EXCLUDED
    grouping: Grouping = Grouping.ROUND_ORDER
    deliverable: Deliverable = Deliverable.PDF

    def adjusted(self, **changes) -> Requirements:
        return replace(self, **changes)

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


GCM = "gcm"
HRC = "hrc"
CSW = "csw"
UNFCCC = "unfccc"
WTO = "wto"

UN_LANGUAGES = ("en", "fr", "es")

PROFILES: dict[str, Requirements] = {
    # Today's behaviour: no venue rule at all.
    GCM: Requirements(GCM),
    HRC: Requirements(
        HRC,
        word_limit=2000,
        reduced_word_limit=1500,
        count_footnotes=True,
        languages=UN_LANGUAGES,
        lead=Eligibility.ECOSOC,
        signers=Eligibility.ECOSOC,
        others=Placement.TITLE_FOOTNOTE,
        grouping=Grouping.ALPHABETICAL,
        deliverable=Deliverable.DOCX,
    ),
    CSW: Requirements(
        CSW,
        word_limit=2000,
        reduced_word_limit=1500,
        count_footnotes=True,
        count_cover=True,
        languages=UN_LANGUAGES,
        footnotes=Footnotes.DISCOURAGED,
        lead=Eligibility.ECOSOC,
        signers=Eligibility.ECOSOC,
        others=Placement.EXCLUDED,
        grouping=Grouping.ALPHABETICAL,
        deliverable=Deliverable.DOCX,
    ),
    UNFCCC: Requirements(
        UNFCCC,
        lead=Eligibility.ADMITTED,
        signers=Eligibility.ADMITTED,
        others=Placement.ALSO_ON_BEHALF,
        grouping=Grouping.ALPHABETICAL,
    ),
    WTO: Requirements(
        WTO,
        languages=UN_LANGUAGES,
        title_languages=UN_LANGUAGES,
        grouping=Grouping.ALPHABETICAL,
    ),
}

PROFILE_LABELS = {
    GCM: _l("GCM-style negotiation round"),
    HRC: _l("Human Rights Council written statement"),
    CSW: _l("Commission on the Status of Women written statement"),
    UNFCCC: _l("UNFCCC submission"),
    WTO: _l("WTO position paper"),
}

DEFAULT = PROFILES[GCM]


def profile(name: str) -> Requirements:
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"No venue profile {name!r}") from None


def _codes(stored: str) -> tuple[str, ...]:
    return tuple(code for code in stored.split(",") if code)


def from_row(row: RoundRequirements) -> Requirements:
    return Requirements(
        row.profile,
        word_limit=row.word_limit,
        reduced_word_limit=row.reduced_word_limit,
        count_footnotes=row.count_footnotes,
        count_signatories=row.count_signatories,
        count_cover=row.count_cover,
        languages=_codes(row.languages),
        title_languages=_codes(row.title_languages),
        footnotes=Footnotes(row.footnotes),
        lead=Eligibility(row.lead),
        signers=Eligibility(row.signers),
        others=Placement(row.others),
        grouping=Grouping(row.grouping),
        deliverable=Deliverable(row.deliverable),
    )


def row_values(requirements: Requirements) -> dict[str, object]:
    """The columns of RoundRequirements for `requirements`."""
    values = requirements.as_dict()
    for name in ("languages", "title_languages"):
        values[name] = ",".join(values[name])  # type: ignore[arg-type]
    return values


def requirements_for(round_: Round) -> Requirements:
    """The round's requirements: the coordinator's adjusted profile, else the default."""
    row = db.session.get(RoundRequirements, round_.id)
    return from_row(row) if row is not None else DEFAULT
