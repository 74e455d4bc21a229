"""A reviewer's label of one turn: the intent and item the message really meant, or a new alias
of an item, or a matter missing from the catalogue (目录缺项)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from service.core.columns import string_enum
from service.core.db import Base, UTCDateTime


class LabelKind(StrEnum):
    LABEL = "label"  # the right intent and item: training data
    ALIAS = "alias"  # also: the citizen's words for the item, to add to its aliases once approved
    MISSING = "missing"  # a matter the catalogue lacks (目录缺项): no item to give


class ReviewLabel(Base):
    __tablename__ = "review_label"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One label per turn: labelling again replaces it (who and when with it).
    turn_id: Mapped[int] = mapped_column(ForeignKey("turn.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[LabelKind] = mapped_column(string_enum(LabelKind, "review_label_kind"))
    intent: Mapped[str] = mapped_column(String(64))
    item_code: Mapped[str | None] = mapped_column(String(64), index=True)
    # The alias to add (kind alias), or what the missing matter is (kind missing).
    phrase: Mapped[str | None] = mapped_column(String(200))
    reviewer: Mapped[str] = mapped_column(String(30))
    labelled_at: Mapped[datetime] = mapped_column(UTCDateTime())
