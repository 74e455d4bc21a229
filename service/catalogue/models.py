"""Database models of the catalogue; the seed format (service/seed/README.md) maps onto them 1:1."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.core.columns import TimestampMixin, string_enum
from service.core.db import Base, UTCDateTime, utcnow


class Level(StrEnum):
    PROVINCE = "省级"  # items of a provincial export (service.catalogue.guide_import)
    CITY = "市级"
    COUNTY = "区县级"
    TOWN = "乡镇街道"
    VILLAGE = "村社区"


class ItemType(StrEnum):
    LICENSING = "行政许可"
    CONFIRMATION = "行政确认"
    PAYMENT = "行政给付"
    PUBLIC_SERVICE = "公共服务"
    REWARD = "行政奖励"
    ADJUDICATION = "行政裁决"
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


class Origin(StrEnum):
    """Where an item or department comes from; each source updates only its own rows."""

    SEED = "seed"  # the hand-kept YAML (service/seed/catalogue)
    IMPORT = "import"  # a provincial export (python -m service.cli import-guides)


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
    origin: Mapped[Origin] = mapped_column(string_enum(Origin, "origin"), default=Origin.SEED)

    items: Mapped[list["Item"]] = relationship(back_populates="department", order_by="Item.code")


class Item(TimestampMixin, Base):
    """One service item (事项) with its guide (办事指南)."""

    __tablename__ = "item"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # a provincial TASK_CODE has 31 or 33
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
    phone: Mapped[str | None] = mapped_column(String(400))  # a provincial export lists several
    online_available: Mapped[bool] = mapped_column(Boolean, default=False)
    online_where: Mapped[str | None] = mapped_column(String(500))
    online_note: Mapped[str | None] = mapped_column(Text)
    visits: Mapped[int] = mapped_column(Integer)
    related: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Hash of the validated seed entry: lets a re-import skip unchanged items entirely.
    seed_hash: Mapped[str] = mapped_column(String(64))
    origin: Mapped[Origin] = mapped_column(string_enum(Origin, "origin"), default=Origin.SEED, index=True)
    # Facts the source does not publish (Unpublished values): the notice says so instead of guessing.
    unpublished: Mapped[list[str]] = mapped_column(JSON, default=list)
    # What only a provincial export carries; null for the hand-kept items.
    complaint_phone: Mapped[str | None] = mapped_column(String(100))
    booking_where: Mapped[str | None] = mapped_column(String(500))  # 网上预约 address
    courier: Mapped[bool | None] = mapped_column(Boolean)  # 支持快递送达
    audience: Mapped[list[str]] = mapped_column(JSON, default=list)  # 服务对象
    joint_departments: Mapped[str | None] = mapped_column(Text)  # 联办部门 and their steps
    source_url: Mapped[str | None] = mapped_column(String(500))  # the official guide online

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
    # Null only for an imported item's material: the export names it, nothing more.
    count: Mapped[int | None] = mapped_column(Integer)
    form: Mapped[MaterialForm | None] = mapped_column(string_enum(MaterialForm, "material_form"))
    media: Mapped[MaterialMedia | None] = mapped_column(string_enum(MaterialMedia, "material_media"))
    source: Mapped[MaterialSource | None] = mapped_column(string_enum(MaterialSource, "material_source"))
    necessity: Mapped[Necessity | None] = mapped_column(string_enum(Necessity, "necessity"))
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


class Unpublished(StrEnum):
    """Facts of a guide its source leaves out (Item.unpublished); never filled by guessing."""

    BASIS = "basis"
    CONDITIONS = "conditions"
    SITUATIONS = "situations"
    MATERIALS = "materials"
    MATERIAL_DETAILS = "material_details"  # count, original or copy, paper or electronic
    PROCESS = "process"
    LEGAL_DAYS = "legal_days"
    PROMISED_DAYS = "promised_days"
    FEE = "fee"
    HOURS = "hours"
    VISITS = "visits"


class CatalogueVersion(Base):
    """One publication of the imported catalogue: who, when, from what, with which counts, and
    the whole published content, so that any version can be published again (rollback)."""

    __tablename__ = "catalogue_version"

    id: Mapped[int] = mapped_column(primary_key=True)  # the version number
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(300))  # the file, or "rollback to version N"
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    restores: Mapped[int | None] = mapped_column(Integer)  # a rollback: the version published again
    items: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer)
    removed: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    # lzma-compressed JSON of the published departments and items (guide_import.Published).
    content: Mapped[bytes] = mapped_column(LargeBinary)
