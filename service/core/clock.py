"""The service's clock: now in the halls' timezone, fixed by settings.FIXED_NOW in tests and demos."""

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from service.core.calendar import WorkCalendar, load_calendar
from service.core.settings import get_settings


def now() -> datetime:
    settings = get_settings()
    zone = ZoneInfo(settings.TIMEZONE)
    fixed = settings.FIXED_NOW
    if fixed is None:
        return datetime.now(zone)
    return fixed.replace(tzinfo=zone) if fixed.tzinfo is None else fixed.astimezone(zone)


def today() -> date:
    return now().date()


@lru_cache
def _calendar_at(path: Path) -> WorkCalendar:
    return load_calendar(path)


def work_calendar() -> WorkCalendar:
    return _calendar_at(get_settings().CALENDAR_PATH)
