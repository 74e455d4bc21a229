"""The dashboard's date range (?from=&to=, local days, the last 30 days by default) and the one SQL
expression that turns a stored UTC timestamp into its local day on SQLite and PostgreSQL."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Query
from sqlalchemy import ColumnElement, func
from sqlalchemy.orm import Session

from service.core import clock
from service.core import templates as t
from service.core.errors import InvalidInputError

DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both local days included, in `zone` (settings.TIMEZONE)."""

    start: date
    end: date
    zone: ZoneInfo

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    @property
    def utc_from(self) -> datetime:
        """The first moment of `start` (local midnight), in UTC."""
        return datetime.combine(self.start, time(), tzinfo=self.zone).astimezone(UTC)

    @property
    def utc_until(self) -> datetime:
        """The first moment after `end` (the next local midnight), in UTC: timestamps are < this."""
        return datetime.combine(self.end + timedelta(days=1), time(), tzinfo=self.zone).astimezone(UTC)

    def covers(self, column: ColumnElement) -> ColumnElement[bool]:
        """The timestamp `column` falls on one of the period's local days."""
        return (column >= self.utc_from) & (column < self.utc_until)


def make_period(*, start: date | None, end: date | None, today: date, zone: ZoneInfo) -> Period:
    end = end or today
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise InvalidInputError(t.DASHBOARD_RANGE_REVERSED.format(start=start, end=end))
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidInputError(t.DASHBOARD_RANGE_TOO_LONG.format(max_days=MAX_DAYS))
    return Period(start=start, end=end, zone=zone)


def requested_period(
    now: Annotated[datetime, Depends(clock.now)],
    start: Annotated[date | None, Query(alias="from", description="第一天（含），默认 30 天前")] = None,
    end: Annotated[date | None, Query(alias="to", description="最后一天（含），默认今天")] = None,
) -> Period:
    return make_period(start=start, end=end, today=now.date(), zone=now.tzinfo)


PeriodDep = Annotated[Period, Depends(requested_period)]


def local_day(session: Session, column: ColumnElement, period: Period) -> ColumnElement[str]:
    """'YYYY-MM-DD' of the stored UTC timestamp in the period's zone.

    PostgreSQL converts with the zone's rules; SQLite knows no zones, so the zone's offset at the
    period's start is added (exact for Asia/Shanghai, which keeps +08:00 all year). Fractions of a
    second are cut first: SQLite would round 23:59:59.9999 up into the next day."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone(period.zone.key, column), "YYYY-MM-DD")
    offset = datetime.combine(period.start, time(), tzinfo=period.zone).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    return func.strftime("%Y-%m-%d", func.substr(column, 1, 19), f"{minutes:+d} minutes")
