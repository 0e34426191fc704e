"""Venue profiles: what each venue accepts, as data. A coordinator picks one for a round and
adjusts it (models/requirements.py keeps the adjusted copy); each value's source is cited in
docs/venues.md."""

from __future__ import annotations

import enum
from dataclasses import dataclass, fields, replace

from flask_babel import lazy_gettext as _l


class Footnotes(enum.StrEnum):
    ALLOWED = "allowed"
    DISCOURAGED = "discouraged"  # a warning, never a refusal (CSW: "avoid footnotes")
    FORBIDDEN = "forbidden"


class Eligibility(enum.StrEnum):
    """Who may lead or sign in the venue's own name."""

    ANYONE = "anyone"
    ECOSOC = "ecosoc"  # ECOSOC consultative status, verified by a coordinator
    ADMITTED = "admitted"  # admitted observer of the round's process


class Placement(enum.StrEnum):
    """Where organizations that may not sign in their own name go."""

    EXCLUDED = "excluded"
    TITLE_FOOTNOTE = "title_footnote"  # HRC: in a footnote to the title
    ALSO_ON_BEHALF = "also_on_behalf"  # UNFCCC: after the eligible ones, "also on behalf of"


class Grouping(enum.StrEnum):
    ROUND_ORDER = "round_order"  # the statement's own signatory order (today's behaviour)
    ALPHABETICAL = "alphabetical"
    BY_STATUS = "by_status"  # general, special, roster, then the others


class Deliverable(enum.StrEnum):
    PDF = "pdf"
    DOCX = "docx"


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
