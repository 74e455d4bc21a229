"""Pydantic schemas of service/seed/bundles.yaml (service/seed/README.md); the importer validates with them."""

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from service.booking.seed_schemas import GroupCode, HallCode
from service.catalogue.seed_schemas import ItemCode, SeedModel, SituationId, Text

BundleCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=32)]
OutsideId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=32)]


class OutsideStepSeed(SeedModel):
    """A step the bundle needs that our catalogue does not hold: named, never given a guide."""

    id: OutsideId
    name: Text
    handled_by: Text
    phone: Text | None = None
    note: Text | None = None
    # Known working days, when the handling office publishes them; None: not counted.
    days: int | None = Field(default=None, ge=0, le=365)


class StepSeed(SeedModel):
    item: ItemCode | None = None
    outside: OutsideStepSeed | None = None
    situation: SituationId | None = None  # the item's situation this bundle usually means
    after: list[Annotated[str, StringConstraints(max_length=32)]] = []  # keys of earlier steps
    when: Text | None = None  # only some applicants need it ("有外地参保经历的")
    note: Text | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "StepSeed":
        if (self.item is None) == (self.outside is None):
            raise ValueError("每一步须写 item（目录内事项编码）或 outside（目录外事项）二者之一")
        if self.situation and self.item is None:
            raise ValueError("只有目录内事项（item）才能写 situation")
        return self

    @property
    def key(self) -> str:
        """How other steps name this one in `after`: the item code, or the outside step's id."""
        return self.item or self.outside.id  # type: ignore[union-attr]


class BundleSituationSeed(SeedModel):
    """A situation of the whole bundle: the item situation each step takes in it."""

    id: SituationId
    name: Text
    steps: dict[ItemCode, SituationId] = Field(min_length=1)


class OneWindowSeed(SeedModel):
    """The hall's 综合窗口 that takes the whole bundle (codes from halls.yaml)."""

    hall: HallCode
    window: GroupCode
    note: Text | None = None


class BundleSeed(SeedModel):
    code: BundleCode
    name: Text
    summary: Text
    aliases: list[Text] = Field(min_length=1)  # how citizens name the life event
    keywords: list[Text] = []  # single words that point to it
    window: OneWindowSeed | None = None
    # One document under different names in different items ("新生儿父母居民身份证",
    # "监护人居民身份证"): the name the merged notice uses → the names in the items.
    same_materials: dict[Text, list[Text]] = {}
    situations: list[BundleSituationSeed] = []
    steps: list[StepSeed] = Field(min_length=2)

    @model_validator(mode="after")
    def _consistent(self) -> "BundleSeed":
        seen: list[str] = []
        for no, step in enumerate(self.steps, start=1):
            if step.key in seen:
                raise ValueError(f"第{no}步 {step.key} 重复")
            later = [key for key in step.after if key not in seen]
            if later:
                raise ValueError(f"第{no}步 {step.key} 的 after 须是前面的步骤：{later}")
            seen.append(step.key)
        items = {step.item for step in self.steps if step.item}
        for situation in self.situations:
            unknown = sorted(set(situation.steps) - items)
            if unknown:
                raise ValueError(f"情形 {situation.id} 引用了本事没有的事项：{unknown}")
        ids = [s.id for s in self.situations]
        if len(ids) != len(set(ids)):
            raise ValueError(f"situations 的 id 重复：{ids}")
        return self


class BundlesSeed(SeedModel):
    bundles: list[BundleSeed] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> "BundlesSeed":
        codes = [b.code for b in self.bundles]
        if len(codes) != len(set(codes)):
            raise ValueError(f"bundle codes repeat: {codes}")
        owner: dict[str, str] = {}
        for bundle in self.bundles:
            for alias in (bundle.name, *bundle.aliases):
                if owner.setdefault(alias, bundle.code) != bundle.code:
                    raise ValueError(f"「{alias}」 names both {owner[alias]} and {bundle.code}")
        return self
