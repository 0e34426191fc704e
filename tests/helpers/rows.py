"""Counting rows in the test's session, and rows written without the operations."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Signature, SignatureSource, SignatureState


def count_rows(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def imported_signature(
    statement, organization, *, revision=None, state=SignatureState.APPROVED, **fields
) -> Signature:
    """A sign-on row as an import writes it, added to the session without an operation (for
    tests that need many, or one in a given state): on `revision` (the current one by default),
    in the organization's country, keyed by its name, unless `fields` say otherwise."""
    revision = revision or statement.current_revision
    fields = {
        "country": organization.country,
        "name_key": organization.name.casefold(),
        "source": SignatureSource.IMPORT,
        **fields,
    }
    signature = Signature(
        statement=statement,
        organization=organization,
        revision=revision,
        text_hash=revision.text_hash,
        state=state,
        **fields,
    )
    db.session.add(signature)
    return signature
