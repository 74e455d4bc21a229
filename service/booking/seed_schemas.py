"""Pydantic schemas of service/seed/halls.yaml (service/seed/README.md); the importer validates with them."""

import re
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from service.catalogue.seed_schemas import DepartmentCode, ItemCode, SeedModel, Text

SLOT_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$"
HallCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]$")]
GroupCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9-]*$", max_length=16)]
SlotLabel = Annotated[str, StringConstraints(pattern=SLOT_PATTERN)]


class WindowSeed(SeedModel):
    code: GroupCode
    name: Text
    slots: list[SlotLabel] | None = None  # None: open in all of the hall's slots


class GroupSeed(SeedModel):
    code: GroupCode
    name: Text
    window: GroupCode
    capacity: int = Field(ge=0, le=500)
    slot_capacity: dict[SlotLabel, Annotated[int, Field(ge=0, le=500)]] = {}
    items: list[ItemCode] = []
    departments: list[DepartmentCode] = []

    @model_validator(mode="after")
    def _maps_something(self) -> "GroupSeed":
        if not self.items and not self.departments:
            raise ValueError(f"group {self.code}: list items or departments")
        return self


class PolicySeed(SeedModel):
    """A hall's own limits (service/booking/policy.py); anything left out takes the service's default."""

    max_reschedules: int | None = Field(default=None, ge=0, le=20)
    no_show_limit: int | None = Field(default=None, ge=0, le=50)  # 0: no-shows never suspend
    no_show_window_days: int | None = Field(default=None, ge=1, le=366)
    suspension_days: int | None = Field(default=None, ge=1, le=366)
    reminder_at: Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] | None = None


class HallSeed(SeedModel):
    code: HallCode
    name: Text
    address: Text
    phone: Text
    slots: list[SlotLabel] = Field(min_length=1)
    windows: list[WindowSeed] = Field(min_length=1)
    groups: list[GroupSeed] = Field(min_length=1)
    policy: PolicySeed = PolicySeed()

    @model_validator(mode="after")
    def _consistent(self) -> "HallSeed":
        bounds = [tuple(re.split("-", s)) for s in self.slots]
        if any(start >= end for start, end in bounds) or any(
            bounds[i][1] > bounds[i + 1][0] for i in range(len(bounds) - 1)
        ):
            raise ValueError(f"hall {self.code}: slots must be ordered and must not overlap")
        windows = {w.code for w in self.windows}
        if len(windows) != len(self.windows):
            raise ValueError(f"hall {self.code}: window codes repeat")
        for window in self.windows:
            if window.slots and set(window.slots) - set(self.slots):
                raise ValueError(f"window {window.code}: slots not in the hall's slots")
        if len({g.code for g in self.groups}) != len(self.groups):
            raise ValueError(f"hall {self.code}: group codes repeat")
        for group in self.groups:
            if group.window not in windows:
                raise ValueError(f"group {group.code}: unknown window {group.window}")
            if set(group.slot_capacity) - set(self.slots):
                raise ValueError(f"group {group.code}: slot_capacity names slots the hall does not have")
        return self


class HallsSeed(SeedModel):
    halls: list[HallSeed] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_codes(self) -> "HallsSeed":
        codes = [h.code for h in self.halls]
        if len(codes) != len(set(codes)):
            raise ValueError(f"hall codes repeat: {codes}")
        return self
