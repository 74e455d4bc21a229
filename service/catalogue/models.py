"""Database models of the catalogue; the seed format (service/seed/README.md) maps onto them 1:1."""

from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.core.columns import TimestampMixin, string_enum
from service.core.db import Base


class Level(StrEnum):
    CITY = "市级"
    COUNTY = "区县级"
    TOWN = "乡镇街道"
    VILLAGE = "村社区"


class ItemType(StrEnum):
    LICENSING = "行政许可"
    CONFIRMATION = "行政确认"
    PAYMENT = "行政给付"
    PUBLIC_SERVICE = "公共服务"
    OTHER = "其他行政权力"


class MaterialForm(StrEnum):
    ORIGINAL = "原件"
    COPY = "复印件"
    BOTH = "原件及复印件"


class MaterialMedia(StrEnum):
    PAPER = "纸质"
    ELECTRONIC = "电子"
    EITHER = "纸质或电子"


class MaterialSource(StrEnum):
    SELF = "自备"
    ISSUED = "部门核发"
    SHARED = "数据共享免提交"


class Necessity(StrEnum):
    REQUIRED = "必要"
    WAIVABLE = "容缺"
    SITUATIONAL = "情形"


class Hall(TimestampMixin, Base):
    """The one-stop hall (政务服务中心); the catalogue holds exactly one."""

    __tablename__ = "hall"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200))
    hours: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(50))
    complaint_phone: Mapped[str | None] = mapped_column(String(50))


class Department(TimestampMixin, Base):
    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(50))
    level: Mapped[Level] = mapped_column(string_enum(Level, "level"))
    window: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(200))
    hours: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(50))
    complaint_phone: Mapped[str] = mapped_column(String(50))

    items: Mapped[list["Item"]] = relationship(back_populates="department", order_by="Item.code")


class Item(TimestampMixin, Base):
    """One service item (事项) with its guide (办事指南)."""

    __tablename__ = "item"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    type: Mapped[ItemType] = mapped_column(string_enum(ItemType, "item_type"))
    level: Mapped[Level] = mapped_column(string_enum(Level, "level"))
    basis: Mapped[str] = mapped_column(Text)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    handled_here: Mapped[bool] = mapped_column(Boolean, default=True)
    # 首问负责: who handles it when not here ({name, address, phone, hours, note}); null when here.
    handled_by: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    process: Mapped[list[str]] = mapped_column(JSON, default=list)
    legal_days: Mapped[int] = mapped_column(Integer)
    promised_days: Mapped[int] = mapped_column(Integer)
    time_limit_note: Mapped[str | None] = mapped_column(Text)
    fee_amount: Mapped[str] = mapped_column(String(200))
    fee_basis: Mapped[str | None] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(String(200))
    hours: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    online_available: Mapped[bool] = mapped_column(Boolean, default=False)
    online_where: Mapped[str | None] = mapped_column(String(200))
    online_note: Mapped[str | None] = mapped_column(Text)
    visits: Mapped[int] = mapped_column(Integer)
    related: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Hash of the validated seed entry: lets a re-import skip unchanged items entirely.
    seed_hash: Mapped[str] = mapped_column(String(64))

    department: Mapped[Department] = relationship(back_populates="items")
    situations: Mapped[list["Situation"]] = relationship(
        back_populates="item", order_by="Situation.position", cascade="all, delete-orphan"
    )
    materials: Mapped[list["Material"]] = relationship(
        back_populates="item", order_by="Material.position", cascade="all, delete-orphan"
    )


class Situation(Base):
    """办理情形: a variant of an item that changes the material list."""

    __tablename__ = "situation"
    __table_args__ = (UniqueConstraint("item_id", "key", name="uq_situation_item_id_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)

    item: Mapped[Item] = relationship(back_populates="situations")


material_situation = Table(
    "material_situation",
    Base.metadata,
    Column("material_id", ForeignKey("material.id", ondelete="CASCADE"), primary_key=True),
    Column("situation_id", ForeignKey("situation.id", ondelete="CASCADE"), primary_key=True),
)


class Material(Base):
    """申请材料: one required document; 情形 materials apply only to their situations."""

    __tablename__ = "material"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    count: Mapped[int] = mapped_column(Integer)
    form: Mapped[MaterialForm] = mapped_column(string_enum(MaterialForm, "material_form"))
    media: Mapped[MaterialMedia] = mapped_column(string_enum(MaterialMedia, "material_media"))
    source: Mapped[MaterialSource] = mapped_column(string_enum(MaterialSource, "material_source"))
    necessity: Mapped[Necessity] = mapped_column(string_enum(Necessity, "necessity"))
    note: Mapped[str | None] = mapped_column(Text)
    sample: Mapped[str | None] = mapped_column(Text)

    item: Mapped[Item] = relationship(back_populates="materials")
    situations: Mapped[list[Situation]] = relationship(
        secondary=material_situation, order_by=Situation.position
    )

    # What the seed, the item detail and the notice say of every material, in one list.
    FACTS = ("name", "count", "form", "media", "source", "necessity", "note", "sample")


def material_facts(material: object) -> dict:
    """The shared facts of a material, from a row or a seed entry."""
    return {name: getattr(material, name) for name in Material.FACTS}
