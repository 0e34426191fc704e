"""URL slugs: readable, ASCII, unique within their table."""

import re
import unicodedata

from sqlalchemy import select

from ..extensions import db


def slugify(text: str, max_length: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"


# Fixed paths next to /<slug> routes; a slug equal to one would be unreachable.
RESERVED = frozenset({"new", "edit", "verification", "invitations", "join"})


def unique_slug(model, text: str, *, exclude_id: int | None = None) -> str:
    """The slug of `text`, suffixed -2, -3, … when another row of `model` already has it."""
    base = slugify(text)
    taken_query = select(model.slug).where(model.slug.like(f"{base}%"))
    if exclude_id is not None:
        taken_query = taken_query.where(model.id != exclude_id)
    with db.session.no_autoflush:
        taken = set(db.session.scalars(taken_query))
    # Rows added in this session but not flushed yet are not in the query result.
    taken |= {getattr(o, "slug", None) for o in db.session.new if isinstance(o, model)}
    taken |= RESERVED
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
