"""Counting rows in the test's session."""

from sqlalchemy import func, select

from portal.extensions import db


def count_rows(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))
