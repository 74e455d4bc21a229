"""Pydantic schemas of the seed YAML (service/seed/README.md); the importer validates with them."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from service.catalogue.models import (
    ItemType,
    Level,
    MaterialForm,
    MaterialMedia,
    MaterialSource,
    Necessity,
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ItemCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9-]*$", max_length=32)]
DepartmentCode = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*$", max_length=16)]
SituationId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$", max_length=32)]


class SeedModel(BaseModel):
    # A misspelt key must fail loudly instead of silently taking a default.
    model_config = ConfigDict(extra="forbid", frozen=True)


class HallSeed(SeedModel):
    name: Text
    address: Text
    hours: Text
    phone: Text
    complaint_phone: Text | None = None


class DepartmentSeed(SeedModel):
    code: DepartmentCode
    name: Text
    short_name: Text
    level: Level
    window: Text
    address: Text
    hours: Text
    phone: Text
    complaint_phone: Text


class HandledBySeed(SeedModel):
    name: Text
    address: Text
    phone: Text
    hours: Text
    note: Text | None = None


class SituationSeed(SeedModel):
    id: SituationId
    name: Text
    description: Text | None = None


class MaterialSeed(SeedModel):
    name: Text
    count: int = Field(ge=1, le=99)
    form: MaterialForm
    media: MaterialMedia
    source: MaterialSource
    necessity: Necessity
    situations: list[SituationId] = []
    note: Text | None = None
    sample: Text | None = None

    @model_validator(mode="after")
    def _situations_only_for_situational(self) -> "MaterialSeed":
        if self.necessity is Necessity.SITUATIONAL and not self.situations:
            raise ValueError(f"材料「{self.name}」necessity 为 情形，须列出 situations")
        if self.necessity is not Necessity.SITUATIONAL and self.situations:
            raise ValueError(f"材料「{self.name}」只有 necessity 为 情形 时才能写 situations")
        return self


class TimeLimitSeed(SeedModel):
    legal_days: int = Field(ge=0, le=365)
    promised_days: int = Field(ge=0, le=365)
    note: Text | None = None


class FeeSeed(SeedModel):
    amount: Text  # "不收费" when free: never blank
    basis: Text | None = None


class OnlineSeed(SeedModel):
    available: bool
    where: Text | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _where_when_available(self) -> "OnlineSeed":
        if self.available and not self.where:
            raise ValueError("online.available 为 true 时须写 where（在哪里网上办理）")
        return self


class ItemSeed(SeedModel):
    code: ItemCode
    name: Text
    type: ItemType
    level: Level
    basis: Text
    aliases: list[Text] = Field(min_length=1)
    keywords: list[Text] = []
    handled_here: bool = True
    handled_by: HandledBySeed | None = None
    conditions: list[Text] = Field(min_length=1)
    situations: list[SituationSeed] = []
    materials: list[MaterialSeed] = Field(min_length=1)
    process: list[Text] = Field(min_length=1)
    time_limit: TimeLimitSeed
    fee: FeeSeed
    place: Text | None = None
    hours: Text | None = None
    phone: Text | None = None
    online: OnlineSeed
    visits: int = Field(ge=0, le=9)
    related: list[ItemCode] = []

    @model_validator(mode="after")
    def _consistent(self) -> "ItemSeed":
        if not self.handled_here and self.handled_by is None:
            raise ValueError("handled_here 为 false 时须写 handled_by（首问负责：由谁办理）")
        ids = [s.id for s in self.situations]
        if len(ids) != len(set(ids)):
            raise ValueError(f"situations 的 id 重复：{ids}")
        for material in self.materials:
            unknown = set(material.situations) - set(ids)
            if unknown:
                raise ValueError(f"材料「{material.name}」引用了不存在的情形 {sorted(unknown)}")
        if self.code in self.related:
            raise ValueError("related 不能包含事项自身")
        return self


class CatalogueFileSeed(SeedModel):
    department: DepartmentSeed
    items: list[ItemSeed] = Field(min_length=1)


class VariantsSeed(SeedModel):
    """service/seed/variants.yaml: how citizens write, for the search (see the seed README)."""

    variants: dict[Text, list[Text]] = {}  # catalogue word → the ways people type it
    operations: dict[Text, list[Text]] = {}  # operation → words that mean it
    not_operations: list[Text] = []  # words that contain an operation word but are none

    @model_validator(mode="after")
    def _each_form_means_one_thing(self) -> "VariantsSeed":
        for section, groups in (("variants", self.variants), ("operations", self.operations)):
            owner: dict[str, str] = {}
            for canonical, forms in groups.items():
                for form in forms:
                    key = form.casefold()
                    if key in owner and owner[key] != canonical:
                        raise ValueError(
                            f"{section}: 「{form}」 listed under both {owner[key]} and {canonical}"
                        )
                    owner[key] = canonical
        useless = [form for canonical, forms in self.variants.items() for form in forms if form == canonical]
        if useless:
            raise ValueError(f"variants: written forms equal to their catalogue word: {useless}")
        return self


class CatalogueSeed(BaseModel):
    """The whole validated seed: the hall, every department file and the search lexicon."""

    model_config = ConfigDict(frozen=True)

    hall: HallSeed
    files: list[CatalogueFileSeed]
    variants: VariantsSeed = VariantsSeed()

    def items(self) -> list[tuple[DepartmentSeed, ItemSeed]]:
        return [(f.department, item) for f in self.files for item in f.items]

