"""Near-duplicate sign-ons: the same organization signing twice under slightly different names.

Kept precise on purpose, because a false match costs a coordinator's time and a missed one puts a
name twice in front of delegations: two sign-ons are near-duplicates when their names are equal
once case, accents, punctuation and spacing are folded and they give the same place (country,
region, or international), or when
their websites share a domain (ignoring "www."). Words are never dropped ("The Migrant Network" and
"Migrant Network" are not folded together) because short names differ by such words.
"""

import re
import unicodedata
from urllib.parse import urlsplit

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Signature
from ..models.signatures import LIVE_STATES

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Free hosting and social sites: a shared domain there says nothing about the organization.
SHARED_DOMAINS = frozenset(
    {
        "facebook.com",
        "twitter.com",
        "x.com",
        "instagram.com",
        "linkedin.com",
        "wordpress.com",
        "blogspot.com",
        "wixsite.com",
        "google.com",
        "sites.google.com",
        "medium.com",
        "youtube.com",
    }
)


def fold_name(name: str) -> str:
    """Lower-case ASCII words: "Réseau d'Action!" → "reseau d action"."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = stripped.casefold().replace("ß", "ss").replace("&", " and ")
    return " ".join(_NON_ALNUM.sub(" ", folded).split())[:200]


def website_domain(website: str | None) -> str | None:
    """The host of a web address without "www.", or None when there is none worth comparing."""
    if not website:
        return None
    value = website.strip()
    if "://" not in value:
        value = "https://" + value
    host = (urlsplit(value).hostname or "").lower().rstrip(".")
    host = host.removeprefix("www.")
    if not host or "." not in host or host in SHARED_DOMAINS:
        return None
    return host[:255]


def near_duplicate(me, other):
    """The SQL condition that `other` is a live near-duplicate of `me` (two Signature aliases)
    that the coordinator has not already kept apart."""
    return and_(
        other.statement_id == me.statement_id,
        other.id != me.id,
        other.state.in_(LIVE_STATES),
        or_(
            and_(
                other.name_key == me.name_key,
                other.country == me.country,
                other.region == me.region,
            ),
            and_(me.domain.is_not(None), other.domain == me.domain),
        ),
        me.name_key != "",
        or_(me.kept_apart.is_(False), other.kept_apart.is_(False)),
    )


def duplicate_ids(statement_ids: list[int], signature_ids: list[int]) -> dict[int, list[int]]:
    """For each of `signature_ids`, the other live sign-ons of the same statement that look like
    the same organization, in one query whatever the number of sign-ons.

    Pairs the coordinator already kept apart or merged are not reported.
    """
    if not signature_ids:
        return {}
    me, other = aliased(Signature), aliased(Signature)
    rows = db.session.execute(
        select(me.id, other.id)
        .join(other, near_duplicate(me, other))
        .where(
            me.id.in_(signature_ids),
            me.statement_id.in_(statement_ids),
            # A merged or rejected sign-on is decided: nothing left to merge or keep apart.
            me.state.in_(LIVE_STATES),
        )
        .order_by(me.id, other.id)
    ).all()
    found: dict[int, list[int]] = {}
    for mine, theirs in rows:
        found.setdefault(mine, []).append(theirs)
    return found
