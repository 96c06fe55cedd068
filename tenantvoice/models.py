"""Shared model base: naming convention, UTC timestamps. No domain models here."""

from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class DomainStateError(Exception):
    """A transition the object's state does not allow (publishing a cancelled meeting, signing
    unapproved minutes): web/errors.py answers 409 for every domain.

    `shown`: the domain's messages are written for people (translated) and go on the 409 page;
    otherwise the page says the item changed meanwhile, and the message is only logged.
    """

    shown = False


class UTCDateTime(sa.types.TypeDecorator):
    """Store naive UTC, hand back aware UTC: SQLite keeps no zone, PostgreSQL keeps it the same."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(so.DeclarativeBase):
    registry = so.registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    updated_at: so.Mapped[datetime] = so.mapped_column(
        default=lambda: clock.now(), onupdate=lambda: clock.now()
    )


def rowcount(result: sa.Result[Any]) -> int:
    """The rows an UPDATE or DELETE matched. Session.execute is typed as returning a Result; for
    these statements it is a CursorResult, which carries the count."""
    return cast("sa.CursorResult[Any]", result).rowcount
