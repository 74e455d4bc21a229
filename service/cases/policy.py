"""The cases' time-limit policy (service/seed/cases.yaml): warning threshold, whether 补正 stops
the clock, and the items whose overdue cases are deemed approved (超时默认 → 视为准予)."""

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from service.core.seed_files import SeedError, format_errors, read_yaml
from service.core.settings import get_settings

POLICY_FILE = "cases.yaml"


class CasePolicy(BaseModel):
    # A misspelt key must fail loudly instead of silently taking a default.
    model_config = ConfigDict(extra="forbid", frozen=True)

    warning_working_days: int = Field(ge=0)
    supplement_stops_clock: bool
    deemed_approved_items: frozenset[str] = frozenset()

    def deemed_approved(self, item_code: str) -> bool:
        return item_code in self.deemed_approved_items


@lru_cache
def load_policy(path: Path) -> CasePolicy:
    raw = read_yaml(path)
    try:
        return CasePolicy.model_validate(raw)
    except ValidationError as exc:
        raise SeedError(format_errors(path, raw, exc)) from exc


def configured_policy() -> CasePolicy:
    """The policy in the seed folder (settings.SEED_DIR)."""
    return load_policy(get_settings().SEED_DIR / POLICY_FILE)
