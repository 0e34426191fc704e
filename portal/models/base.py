"""Column helpers shared by the models."""

import enum
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime, String, TypeDecorator, event
from sqlalchemy.orm import mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime stored; use UTC-aware datetimes")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def enum_column(enum_cls: type[enum.StrEnum], name: str, **kwargs):
    """A string column limited to the enum's values by a named, table-level CHECK constraint
    (table-level so that Alembic's autogenerate writes it into the migration)."""
    values = ", ".join(f"'{member.value}'" for member in enum_cls)
    length = max(len(member.value) for member in enum_cls)
    column = mapped_column(name, String(length), nullable=False, **kwargs)

    def add_check(col, table):
        table.append_constraint(CheckConstraint(f"{name} IN ({values})", name=f"{name}_valid"))

    event.listen(column.column, "after_parent_attach", add_check)
    return column


def created_at_column():
    return mapped_column(UTCDateTime(), default=utcnow, nullable=False)


def updated_at_column():
    """Stamped by every UPDATE, set-based ones included (Core applies `onupdate` too): what a
    kept page piece reads to know the rows it shows changed (portal/core/fragments.py)."""
    return mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow, index=True)
