"""What the round page loads: the view passes it to the template, which queries nothing.

The page's three lists (approved statements, statements open for signature, the statements the
viewer may see) are rendered pieces kept by `round_version` (portal/core/fragments.py): one
query tells whether anything they show changed, so a round of 200 statements is not loaded and
rendered again for every view."""

from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from ..core.versions import adding_round_version, data_version, round_version
from ..desk.signon_list import open_for_signature
from ..exports.artifacts import compendium_available
from ..extensions import db
from ..models import Round
from ..review.queries import published_statements
from ..statements.queries import round_statements


def load_round_page(slug: str, now) -> tuple | None:
    """(the round, its round_version) — the round with its areas and process and what its
    lists show, in one query; None when there is no such round."""
    row = db.session.execute(_round_page_query(), {"slug": slug, "now": now}).unique().first()
    if row is None:
        return None
    return row[0], round_version(row[0], now, tuple(row[1:]))


@cache
def _round_page_query():
    # Built once, as core/versions.py builds its own.
    by_slug = (
        select(Round)
        .where(Round.slug == bindparam("slug"))
        .options(joinedload(Round.areas), joinedload(Round.process))
    )
    return adding_round_version(by_slug)


def published_section(round_) -> dict:
    """The approved statements with the length of their published lists, and whether the
    compendium is there to link to: the same for every viewer."""
    published = published_statements(round_)
    return {
        "published": published,
        "listed_counts": {s.id: review.signatory_count for s, review in published},
        "compendium_ready": compendium_available(round_),
    }


def listed_section(round_, user) -> dict:
    return {"listed": round_statements(round_, user)}


def open_section(round_, user) -> dict:
    return {"open_list": open_for_signature(round_, user)}


def viewer_scope(user) -> tuple:
    """What makes one viewer's list of statements differ from another's: a coordinator sees
    every statement; a member, those their organizations draft or are invited to, besides the
    ones every registered organization reads."""
    if not user.is_authenticated:
        return ("visitor",)
    if user.is_coordinator:
        return ("coordinator",)
    return (
        "member",
        tuple(sorted((m.organization_id, str(m.role)) for m in user.active_memberships())),
    )


def funnel_version(user) -> tuple:
    """What the open statements' funnels add to that list's version, for the viewers who see
    them: coordinators see every funnel, a member those of statements their organizations lead
    (which statements those are moves with the round's version); both count sign-ons, so they
    move with the data's version too (read once per request: the navigation reads it too)."""
    if not user.is_authenticated:
        return ()
    if user.is_coordinator:
        return ("coordinator", *data_version())
    mine = tuple(sorted(m.organization_id for m in user.active_memberships()))
    return ("member", mine, *data_version()) if mine else ()
