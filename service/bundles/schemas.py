"""Response schemas of the bundles API (the seed's own schemas are in seed_schemas.py)."""

from pydantic import BaseModel

from service.catalogue.schemas import SituationOut


class BundleSummary(BaseModel):
    code: str
    name: str
    summary: str
    aliases: list[str]
    steps: int
    score: float | None = None  # how well it matches the query, 0..1; None when listing all


class BundleList(BaseModel):
    query: str | None
    bundles: list[BundleSummary]
    # True when the first bundle is clearly the one meant (bundles.search.is_confident).
    confident: bool


class BundleStepOut(BaseModel):
    no: int
    key: str  # the item code, or the id of a step outside the catalogue
    name: str
    in_catalogue: bool
    item_code: str | None
    department: str | None  # the item's department; None outside the catalogue
    handled_by: str | None  # who handles it when not this hall (outside, or 首问负责)
    phone: str | None
    situation: SituationOut | None
    after: list[str]  # keys of the steps done first
    when: str | None  # only some applicants need it
    note: str | None


class OneWindowOut(BaseModel):
    """The 综合窗口 that takes the whole bundle, and the one booking that covers it."""

    hall_code: str
    hall_name: str
    hall_address: str
    window_code: str
    window_name: str
    note: str | None
    # Book this item at this hall (its pool is at this window): the window takes the whole bundle.
    booking_item_code: str | None
    booking_item_name: str | None
    # The bundle's items whose own booking pool is this window; the others the window forwards.
    items_at_window: list[str]


class BundleDetail(BaseModel):
    code: str
    name: str
    summary: str
    aliases: list[str]
    situations: list[SituationOut]
    steps: list[BundleStepOut]
    window: OneWindowOut | None


class MaterialUse(BaseModel):
    item_code: str
    item_name: str
    name: str  # the material's name in that item
    form: str
    count: int
    necessity: str
    situations: list[str]  # the item's situations it applies to; empty = all


class MergedMaterial(BaseModel):
    no: int
    name: str
    bring: bool  # False: every item gets it by data sharing (免提交)
    used_by: list[MaterialUse]


class Visit(BaseModel):
    no: int
    place: str
    steps: list[str]  # step keys done in this visit
    waits_for: list[str]  # step keys that must be finished before this visit
    online: list[str]  # of these, the ones that can also be done online


class FeePart(BaseModel):
    item_code: str
    item_name: str
    amount: str


class FeeSummary(BaseModel):
    total_yuan: float  # the fixed fees added up
    fixed: list[FeePart]  # fees of a plain amount ("20元")
    by_standard: list[FeePart]  # fees charged by a scale ("住宅 80 元/件……"): not added up


class TimeSummary(BaseModel):
    """Working days along the critical path (see bundles.notice.critical_path)."""

    promised_days: int  # steps everyone does
    legal_days: int  # the same path, by the legal limits
    critical_path: list[str]  # step keys
    promised_days_with_conditional: int  # counting the 按需 steps too
    critical_path_with_conditional: list[str]
    not_counted: list[str]  # outside steps with no published time limit


class ItemNoticeRef(BaseModel):
    item_code: str
    item_name: str
    notice_no: str


class BundleNotice(BaseModel):
    notice_no: str
    code: str
    name: str
    summary: str
    situation: SituationOut | None
    situations: list[SituationOut]
    steps: list[BundleStepOut]
    item_notices: list[ItemNoticeRef]
    materials: list[MergedMaterial]  # to bring, each once with the items that use it
    shared: list[MergedMaterial]  # 免提交 in every item that uses them
    visits: list[Visit]
    fee: FeeSummary
    time: TimeSummary
    window: OneWindowOut | None
    sections: list[str]
    text: str
