"""Which days the halls work: weekends, statutory holidays and 调休 make-up working days.

The dates live in service/seed/calendar.yaml (its format is documented at the top of that file).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

DEFAULT_CALENDAR = Path(__file__).resolve().parents[1] / "seed" / "calendar.yaml"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class CalendarError(ValueError):
    """The calendar file is missing or wrong, or a day outside the years it covers was asked about."""


class _CalendarModel(BaseModel):
    # A misspelt key must fail loudly instead of silently taking a default.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _Holiday(_CalendarModel):
    name: Text
    first: date = Field(alias="from")
    last: date | None = Field(default=None, alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> "_Holiday":
        if self.last is not None and self.last < self.first:
            raise ValueError(f"{self.name}: 'to' ({self.last}) is before 'from' ({self.first})")
        return self

    def days(self) -> list[date]:
        last = self.last or self.first
        return [self.first + timedelta(days=i) for i in range((last - self.first).days + 1)]


class _WorkingDay(_CalendarModel):
    day: date = Field(alias="date")
    makes_up_for: Text = Field(alias="for")

    @model_validator(mode="after")
    def _on_a_weekend(self) -> "_WorkingDay":
        if self.day.weekday() < 5:
            raise ValueError(f"{self.day} is a weekday; only a Saturday or Sunday can be a make-up working day")
        return self


class _Year(_CalendarModel):
    confirmed: bool
    source: Text
    holidays: list[_Holiday]
    working_days: list[_WorkingDay]


class _CalendarFile(_CalendarModel):
    years: dict[int, _Year]


@dataclass(frozen=True)
class WorkCalendar:
    holidays: Mapping[date, str]
    """Every day off that is not an ordinary weekend day, with its festival's name (weekends inside a holiday too)."""
    working_days: frozenset[date]
    """调休: weekend days that are working days."""
    confirmed_years: Mapping[int, bool]
    """The years covered, and whether the State Council has published that year's arrangement."""

    def _check_covered(self, day: date) -> None:
        if day.year not in self.confirmed_years:
            covered = ", ".join(str(year) for year in sorted(self.confirmed_years))
            raise CalendarError(f"{day} is outside the calendar (it covers {covered}); add {day.year} to calendar.yaml")

    def is_working_day(self, day: date) -> bool:
        self._check_covered(day)
        if day in self.working_days:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def holiday(self, day: date) -> str | None:
        """The festival a day off belongs to, or None."""
        self._check_covered(day)
        return self.holidays.get(day)

    def is_confirmed(self, day: date) -> bool:
        """False while the day's year lists only the statutory days, before the official arrangement is out."""
        self._check_covered(day)
        return self.confirmed_years[day.year]

    def next_working_days(self, start: date, n: int) -> list[date]:
        """The first n working days on or after start."""
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        found: list[date] = []
        day = start
        while len(found) < n:
            if self.is_working_day(day):
                found.append(day)
            day += timedelta(days=1)
        return found


def _format_errors(path: Path, exc: ValidationError) -> str:
    lines = [f"{path}: {exc.error_count()} problem(s)"]
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        lines.append(f"  {where}: {error['msg']}")
    return "\n".join(lines)


def _check_years(path: Path, parsed: _CalendarFile) -> None:
    for year, entry in parsed.years.items():
        days_off: dict[date, str] = {}
        for holiday in entry.holidays:
            for day in holiday.days():
                if day.year != year:
                    raise CalendarError(f"{path}: {holiday.name} ({day}) is listed under {year}")
                if day in days_off:
                    raise CalendarError(f"{path}: {day} is in both {days_off[day]} and {holiday.name}")
                days_off[day] = holiday.name
        for working in entry.working_days:
            if working.day.year != year:
                raise CalendarError(f"{path}: make-up working day {working.day} is listed under {year}")
            if working.day in days_off:
                raise CalendarError(f"{path}: {working.day} is both a working day and part of {days_off[working.day]}")


def load_calendar(path: Path = DEFAULT_CALENDAR) -> WorkCalendar:
    """Read and check a calendar file; raise CalendarError naming the file and the problem."""
    if not path.is_file():
        raise CalendarError(f"{path}: missing")
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CalendarError(f"{path}: not valid YAML: {exc}") from exc
    try:
        parsed = _CalendarFile.model_validate(raw)
    except ValidationError as exc:
        raise CalendarError(_format_errors(path, exc)) from exc
    if not parsed.years:
        raise CalendarError(f"{path}: lists no years")
    _check_years(path, parsed)
    return WorkCalendar(
        holidays={day: h.name for entry in parsed.years.values() for h in entry.holidays for day in h.days()},
        working_days=frozenset(w.day for entry in parsed.years.values() for w in entry.working_days),
        confirmed_years={year: entry.confirmed for year, entry in parsed.years.items()},
    )
