"""Database models of the life-event bundles (高效办成一件事); the seed (bundles.yaml) maps onto them."""

from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.catalogue.models import Item
from service.core.columns import TimestampMixin
from service.core.db import Base


class Bundle(TimestampMixin, Base):
    """One life event (一件事) and the items it takes, in the order they are done."""

    __tablename__ = "bundle"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(Text)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The hall's 综合窗口 that takes the whole bundle (booking hall and window codes), if any.
    hall_code: Mapped[str | None] = mapped_column(String(8))
    window_code: Mapped[str | None] = mapped_column(String(16))
    window_note: Mapped[str | None] = mapped_column(Text)
    # The merged notice's name of a document → its names in the bundle's items.
    same_materials: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    # [{id, name, steps: {item code: item situation}}]
    situations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer)
    # Hash of the validated seed entry: a re-import skips unchanged bundles.
    seed_hash: Mapped[str] = mapped_column(String(64))

    steps: Mapped[list["BundleStep"]] = relationship(
        back_populates="bundle", order_by="BundleStep.position", cascade="all, delete-orphan"
    )


class BundleStep(Base):
    """One step of a bundle: a catalogue item, or a step outside the catalogue (`outside`)."""

    __tablename__ = "bundle_step"
    __table_args__ = (UniqueConstraint("bundle_id", "key", name="uq_bundle_step_bundle_id_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("bundle.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(32))  # the item code or the outside step's id
    item_id: Mapped[int | None] = mapped_column(ForeignKey("item.id"), index=True)
    situation_key: Mapped[str | None] = mapped_column(String(32))
    # {id, name, handled_by, phone, note, days} of a step the catalogue lacks; null for an item.
    outside: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[list[str]] = mapped_column(JSON, default=list)
    when: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)

    bundle: Mapped[Bundle] = relationship(back_populates="steps")
    item: Mapped[Item | None] = relationship()
