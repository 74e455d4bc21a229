"""Golden readings of what citizens say about when they want to come, against fixed clocks."""

import subprocess
import sys
from datetime import date, datetime, time, timezone

import pytest

from service.booking.when import SHANGHAI, RequestedTime, understand_when
from service.core.settings import REPO_ROOT

SUNDAY = datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI)
FRIDAY_AFTERNOON = datetime(2026, 11, 27, 15, 30, tzinfo=SHANGHAI)
YEAR_END = datetime(2026, 12, 30, 15, 0, tzinfo=SHANGHAI)  # a Wednesday
NOWS = {"sun": SUNDAY, "fri": FRIDAY_AFTERNOON, "dec30": YEAR_END}

AM, PM = "morning", "afternoon"


def d(text: str) -> date:
    return date.fromisoformat(text)


# (now, what was said, earliest, latest, period, at)
GOLDEN: list[tuple[str, str, str, str, str | None, time | None]] = [
    ("sun", "明天下午", "2026-11-23", "2026-11-23", PM, None),
    ("sun", "后天上午十点", "2026-11-24", "2026-11-24", AM, time(10, 0)),
    ("sun", "下周三", "2026-11-25", "2026-11-25", None, None),
    ("sun", "12月3号", "2026-12-03", "2026-12-03", None, None),
    ("sun", "这周五下午两点", "2026-11-27", "2026-11-27", PM, time(14, 0)),
    ("sun", "月底前随便哪天", "2026-11-22", "2026-11-30", None, None),
    ("sun", "大后天", "2026-11-25", "2026-11-25", None, None),
    ("sun", "周一上午9点半", "2026-11-23", "2026-11-23", AM, time(9, 30)),
    ("sun", "下个月5号", "2026-12-05", "2026-12-05", None, None),
    ("sun", "3号下午", "2026-12-03", "2026-12-03", PM, None),
    ("sun", "本周内", "2026-11-22", "2026-11-22", None, None),
    ("sun", "过两天", "2026-11-24", "2026-11-25", None, None),
    ("sun", "今天下午三点", "2026-11-22", "2026-11-22", PM, time(15, 0)),
    ("sun", "明早", "2026-11-23", "2026-11-23", AM, None),
    ("sun", "礼拜四", "2026-11-26", "2026-11-26", None, None),
    ("sun", "12.5", "2026-12-05", "2026-12-05", None, None),
    ("sun", "2026-12-03", "2026-12-03", "2026-12-03", None, None),
    ("sun", "我想明天下午去办", "2026-11-23", "2026-11-23", PM, None),
    ("sun", "下周", "2026-11-23", "2026-11-29", None, None),
    ("sun", "下下周", "2026-11-30", "2026-12-06", None, None),
    ("sun", "1号", "2026-12-01", "2026-12-01", None, None),
    ("sun", "31号", "2026-12-31", "2026-12-31", None, None),
    ("sun", "11月20号", "2027-11-20", "2027-11-20", None, None),
    ("sun", "星期二早上", "2026-11-24", "2026-11-24", AM, None),
    ("sun", "周四两点", "2026-11-26", "2026-11-26", PM, time(14, 0)),
    ("sun", "下午3:30", "2026-11-22", "2026-11-22", PM, time(15, 30)),
    ("sun", "明天14:00", "2026-11-23", "2026-11-23", PM, time(14, 0)),
    ("sun", "12月3日上午", "2026-12-03", "2026-12-03", AM, None),
    ("sun", "12/3", "2026-12-03", "2026-12-03", None, None),
    ("sun", "十二月三号", "2026-12-03", "2026-12-03", None, None),
    ("sun", "明天上午或者后天", "2026-11-23", "2026-11-24", None, None),
    ("sun", "一周内", "2026-11-22", "2026-11-29", None, None),
    ("sun", "这个月底前", "2026-11-22", "2026-11-30", None, None),
    ("sun", "明天早上八点半", "2026-11-23", "2026-11-23", AM, time(8, 30)),
    ("sun", "后天下午4点", "2026-11-24", "2026-11-24", PM, time(16, 0)),
    ("sun", "周六", "2026-11-28", "2026-11-28", None, None),
    ("sun", "三天后", "2026-11-25", "2026-11-25", None, None),
    ("sun", "下周一下午", "2026-11-23", "2026-11-23", PM, None),
    ("sun", "明晚", "2026-11-23", "2026-11-23", None, None),
    ("sun", "今天", "2026-11-22", "2026-11-22", None, None),
    # An explicit year is kept as said, past or not: the caller tells the citizen it is past.
    ("sun", "2025年3月1日", "2025-03-01", "2025-03-01", None, None),
    ("fri", "下周三", "2026-12-02", "2026-12-02", None, None),
    ("fri", "周一", "2026-11-30", "2026-11-30", None, None),
    ("fri", "本周内", "2026-11-27", "2026-11-29", None, None),
    ("fri", "这周五下午", "2026-11-27", "2026-11-27", PM, None),
    # The morning is over, but today is still today: the caller decides it is closed.
    ("fri", "今天上午", "2026-11-27", "2026-11-27", AM, None),
    ("fri", "周末", "2026-11-28", "2026-11-29", None, None),
    ("fri", "过两天", "2026-11-29", "2026-11-30", None, None),
    ("fri", "周四", "2026-12-03", "2026-12-03", None, None),
    ("dec30", "1月5号", "2027-01-05", "2027-01-05", None, None),
    ("dec30", "3号", "2027-01-03", "2027-01-03", None, None),
    ("dec30", "下个月5号", "2027-01-05", "2027-01-05", None, None),
    ("dec30", "下周一", "2027-01-04", "2027-01-04", None, None),
    ("dec30", "月底前", "2026-12-30", "2026-12-31", None, None),
    ("dec30", "后天", "2027-01-01", "2027-01-01", None, None),
    ("dec30", "本周内", "2026-12-30", "2027-01-03", None, None),
    ("dec30", "这周五", "2027-01-01", "2027-01-01", None, None),
    ("dec30", "明年1月2号", "2027-01-02", "2027-01-02", None, None),
    ("dec30", "周一上午", "2027-01-04", "2027-01-04", AM, None),
    ("dec30", "12月31号", "2026-12-31", "2026-12-31", None, None),
]

NO_TIME = ["我要换身份证", "", "   ", "😀", "👍👍", "营业执照怎么办", "需要带几份材料", "电话13800138000", "好的谢谢"]


@pytest.mark.parametrize(
    ("now", "text", "earliest", "latest", "period", "at"),
    [pytest.param(*case, id=f"{case[0]}-{case[1]}") for case in GOLDEN],
)
def test_golden(now: str, text: str, earliest: str, latest: str, period: str | None, at: time | None) -> None:
    assert understand_when(text, now=NOWS[now]) == RequestedTime(
        earliest=d(earliest), latest=d(latest), period=period, at=at, text=text
    )


@pytest.mark.parametrize("text", NO_TIME)
def test_no_time_named(text: str) -> None:
    assert understand_when(text, now=SUNDAY) is None


def test_never_resolves_to_the_past_without_a_year() -> None:
    for now in NOWS.values():
        for _, text, *_ in GOLDEN:
            found = understand_when(text, now=now)
            if found is not None and "年" not in text and "2026-" not in text:
                assert found.earliest >= now.date(), (text, now)
                assert found.latest >= found.earliest, (text, now)


def test_now_in_another_timezone_is_read_in_shanghai() -> None:
    # 17:00 UTC on the 22nd is 01:00 on the 23rd in Shanghai, so 明天 is the 24th.
    found = understand_when("明天", now=datetime(2026, 11, 22, 17, 0, tzinfo=timezone.utc))
    assert found is not None and found.earliest == date(2026, 11, 24)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        understand_when("明天", now=datetime(2026, 11, 22, 10, 0))


def test_keeps_the_citizens_words() -> None:
    found = understand_when("  那就周一上午9点半吧 ", now=SUNDAY)
    assert found is not None and found.text == "那就周一上午9点半吧"


def test_prints_nothing() -> None:
    # jionlp and jiojio print banners on import; a fresh interpreter shows whether they leak.
    script = (
        "from datetime import datetime\n"
        "from service.booking.when import SHANGHAI, understand_when\n"
        "understand_when('明天下午', now=datetime(2026, 11, 22, 10, tzinfo=SHANGHAI))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert run.stdout == ""
