"""Column types every domain's models share."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Enum
from sqlalchemy.orm import Mapped, mapped_column

from service.core.db import UTCDateTime, utcnow


def string_enum(members: type[StrEnum], name: str, length: int = 16) -> Enum:
    """The enum's values themselves (Chinese, readable in SQL), stored as VARCHAR on every backend."""
    return Enum(
        members,
        name=name,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda items: [m.value for m in items],
        validate_strings=True,
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )
