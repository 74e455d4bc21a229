"""A chart's data as the API gives it: one table (the first column labels the points, the others are
series), the same table the CSV download holds."""

from datetime import date

from pydantic import BaseModel

from service.core import templates as t

Cell = str | int | float


class Column(BaseModel):
    key: str
    label: str


class ChartTable(BaseModel):
    chart: str
    title: str
    start: date
    end: date
    columns: list[Column]
    rows: list[list[Cell]]


def columns(*keys: str, labels: dict[str, str] | None = None) -> list[Column]:
    """Columns by key, labelled from the dashboard's wording (or `labels`, e.g. an enum's)."""
    return [Column(key=key, label=(labels or {}).get(key) or t.DASHBOARD_COLUMNS[key]) for key in keys]


def percent(part: int, whole: int) -> float:
    """part of whole in percent, one decimal; 0 when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else 0.0
