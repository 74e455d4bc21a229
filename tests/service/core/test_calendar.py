"""The working calendar: 2026's published holidays and 调休, weekends, and a calendar file's errors."""

from datetime import date
from pathlib import Path

import pytest

from service.core.calendar import (
    DEFAULT_CALENDAR,
    CalendarError,
    WorkCalendar,
    load_calendar,
)


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return load_calendar(DEFAULT_CALENDAR)


@pytest.mark.parametrize(
    ("day", "festival"),
    [
        (date(2026, 1, 1), "元旦"),
        (date(2026, 2, 16), "春节"),  # 除夕, a Monday
        (date(2026, 2, 23), "春节"),  # the Monday after, still off
        (date(2026, 4, 6), "清明节"),
        (date(2026, 5, 4), "劳动节"),
        (date(2026, 5, 5), "劳动节"),
        (date(2026, 6, 19), "端午节"),
        (date(2026, 9, 25), "中秋节"),
        (date(2026, 10, 1), "国庆节"),
        (date(2026, 10, 7), "国庆节"),
        (date(2027, 1, 1), "元旦"),
        (date(2027, 2, 8), "春节"),
    ],
)
def test_weekday_holidays_are_not_working_days(calendar: WorkCalendar, day: date, festival: str) -> None:
    assert day.weekday() < 5
    assert not calendar.is_working_day(day)
    assert calendar.holiday(day) == festival


@pytest.mark.parametrize(
    "day",
    [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10)],
)
def test_make_up_weekend_days_are_working_days(calendar: WorkCalendar, day: date) -> None:
    assert day.weekday() >= 5
    assert calendar.is_working_day(day)


@pytest.mark.parametrize("day", [date(2026, 11, 21), date(2026, 11, 22), date(2026, 3, 7), date(2027, 3, 7)])
def test_other_weekends_are_not_working_days(calendar: WorkCalendar, day: date) -> None:
    assert not calendar.is_working_day(day)


@pytest.mark.parametrize("day", [date(2026, 11, 23), date(2026, 2, 13), date(2026, 10, 8), date(2027, 3, 8)])
def test_ordinary_weekdays_are_working_days(calendar: WorkCalendar, day: date) -> None:
    assert calendar.is_working_day(day)
    assert calendar.holiday(day) is None


def test_next_working_days_skip_holidays_and_use_make_up_days(calendar: WorkCalendar) -> None:
    # From 国庆 eve: the 30th, then the holiday week, then Thu 8th, Fri 9th and make-up Sat 10th.
    assert calendar.next_working_days(date(2026, 9, 30), 4) == [
        date(2026, 9, 30),
        date(2026, 10, 8),
        date(2026, 10, 9),
        date(2026, 10, 10),
    ]
    assert calendar.next_working_days(date(2026, 12, 31), 2) == [date(2026, 12, 31), date(2027, 1, 4)]
    assert calendar.next_working_days(date(2026, 11, 23), 0) == []


def test_2027_is_marked_unconfirmed(calendar: WorkCalendar) -> None:
    assert calendar.is_confirmed(date(2026, 6, 1))
    assert not calendar.is_confirmed(date(2027, 6, 1))


def test_a_year_outside_the_calendar_is_an_error(calendar: WorkCalendar) -> None:
    with pytest.raises(CalendarError, match="2028"):
        calendar.is_working_day(date(2028, 1, 3))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "calendar.yaml"
    path.write_text(text, encoding="utf-8")
    return path


YEAR_HEAD = "years:\n  2026:\n    confirmed: true\n    source: test\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("years: [", "not valid YAML"),
        ("years: {}\n", "lists no years"),
        (YEAR_HEAD + "    holidays: []\n", "working_days"),
        (YEAR_HEAD + "    holidays: []\n    working_days: []\n    extra: 1\n", "extra"),
        (YEAR_HEAD + "    holidays: [{name: 元旦, from: 2026-01-03, to: 2026-01-01}]\n    working_days: []\n", "before"),
        (YEAR_HEAD + "    holidays: []\n    working_days: [{date: 2026-01-05, for: 元旦}]\n", "weekday"),
        (YEAR_HEAD + "    holidays: [{name: 元旦, from: 2027-01-01}]\n    working_days: []\n", "listed under 2026"),
        (
            YEAR_HEAD + "    holidays: [{name: 元旦, from: 2026-01-01, to: 2026-01-04}]\n"
            "    working_days: [{date: 2026-01-04, for: 元旦}]\n",
            "both a working day",
        ),
    ],
)
def test_wrong_files_are_refused_with_the_reason(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(CalendarError, match=message) as error:
        load_calendar(path)
    assert str(path) in str(error.value)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="missing"):
        load_calendar(tmp_path / "nowhere.yaml")
