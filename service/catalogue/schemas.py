"""Response schemas of the catalogue API (the seed's own schemas are in seed_schemas.py)."""

from pydantic import BaseModel, ConfigDict

from service.catalogue.models import (
    ItemType,
    Level,
    MaterialForm,
    MaterialMedia,
    MaterialSource,
    Necessity,
)


class DepartmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    short_name: str
    level: Level
    window: str
    address: str
    hours: str
    phone: str
    complaint_phone: str


class HallOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    address: str
    hours: str
    phone: str
    complaint_phone: str | None


class HandledByOut(BaseModel):
    name: str
    address: str
    phone: str
    hours: str
    note: str | None = None


class SituationOut(BaseModel):
    id: str
    name: str
    description: str | None = None


class MaterialFacts(BaseModel):
    """What the item detail and the notice say of every material (models.Material.FACTS)."""

    name: str
    # Null only for an imported item, whose source names the material and nothing more.
    count: int | None
    form: MaterialForm | None
    media: MaterialMedia | None
    source: MaterialSource | None
    necessity: Necessity | None
    note: str | None
    sample: str | None


class MaterialOut(MaterialFacts):
    situations: list[str]  # situation ids; empty = every situation


class DepartmentBrief(BaseModel):
    code: str
    name: str
    short_name: str


class ItemSummary(BaseModel):
    code: str
    name: str
    type: ItemType
    level: Level
    department: DepartmentBrief
    handled_here: bool
    online_available: bool
    promised_days: int | None  # null: not published by the item's source


class ItemPage(BaseModel):
    items: list[ItemSummary]
    total: int
    page: int
    page_size: int


class TimeLimitOut(BaseModel):
    # Null when the item's source does not publish it (an imported export): never a guess.
    legal_days: int | None
    promised_days: int | None
    on_the_spot: bool  # 即办件
    note: str | None = None


class FeeOut(BaseModel):
    amount: str
    basis: str | None = None


class OnlineOut(BaseModel):
    available: bool
    where: str | None = None
    note: str | None = None


class RelatedItemOut(BaseModel):
    code: str
    name: str
    department: str


class GuideFacts(BaseModel):
    """What every view of an item's guide shows alike (notice.guide_facts fills it)."""

    process: list[str]
    time_limit: TimeLimitOut
    fee: FeeOut
    place: str
    hours: str
    phone: str
    complaint_phone: str
    online: OnlineOut
    visits: int | None  # null: not published
    # What only an imported provincial export carries (null or empty for the hand-kept items).
    booking_where: str | None = None
    courier: bool | None = None
    audience: list[str] = []
    joint_departments: str | None = None
    source_url: str | None = None
    # The facts the item's source leaves out (catalogue.models.Unpublished); the texts say so.
    unpublished: list[str] = []


class ItemDetail(GuideFacts):
    code: str
    name: str
    type: ItemType
    level: Level
    basis: str
    aliases: list[str]
    keywords: list[str]
    department: DepartmentOut
    handled_here: bool
    handled_by: HandledByOut | None
    conditions: list[str]
    situations: list[SituationOut]
    materials: list[MaterialOut]
    related: list[RelatedItemOut]


class SearchSituation(BaseModel):
    id: str
    name: str


class SearchItem(BaseModel):
    code: str
    name: str
    department: str
    score: float
    handled_here: bool
    situations: list[SearchSituation]


class SearchResult(BaseModel):
    query: str
    items: list[SearchItem]
    # True when the first item is clearly the one meant (catalogue.search.is_confident).
    confident: bool
    # True when parts of the message name different items on their own: not confident which,
    # but surely about the catalogue (catalogue.search.SearchHit.contested).
    contested: bool = False


# --- the one-time notice -------------------------------------------------------------------


class NoticeItem(BaseModel):
    code: str
    name: str
    type: ItemType
    level: Level
    basis: str


class NoticeMaterial(MaterialFacts):
    no: int
    situations: list[str]  # names of the situations it applies to; empty = all


class WaivedMaterial(BaseModel):
    name: str
    kind: str  # 容缺 / 免提交
    note: str | None


class Aspects(BaseModel):
    """One short answer per aspect, for follow-up questions ("要多少钱？")."""

    conditions: str
    fee: str
    time_limit: str
    location: str
    process: str
    online: str


class Notice(GuideFacts):
    notice_no: str
    item: NoticeItem
    department: DepartmentOut
    handled_here: bool
    handled_by: HandledByOut | None
    situation: SituationOut | None
    situations: list[SituationOut]
    conditions: list[str]
    materials: list[NoticeMaterial]
    waived: list[WaivedMaterial]
    # The names of the materials to bring (免提交 ones left out): a booking's checklist.
    checklist: list[str]
    related: list[RelatedItemOut]
    sections: list[str]
    text: str
    aspects: Aspects


# --- referral (首问负责) for what the catalogue lacks ----------------------------------------


class LocalDepartmentOut(BaseModel):
    name: str
    address: str
    window: str
    hours: str
    phone: str


class ReferralOut(BaseModel):
    """首问负责: the reference item, department and level that handle a service the catalogue lacks.

    found=false and nulls when nothing scores REFERRAL_THRESHOLD. `score` is on /search's scale:
    the catalogue's own item wins when its best hit is confident or scores at least as high.
    """

    found: bool
    item_name: str | None = None
    department: str | None = None
    department_kind: str | None = None  # 公安, 医保, 人社 … (catalogue.referral.DEPARTMENT_KINDS)
    level: str | None = None  # 省级 / 市级 / 区县级
    location: str | None = None
    phone: str | None = None
    local: LocalDepartmentOut | None = None  # this hall's department of the same kind
    score: float | None = None
