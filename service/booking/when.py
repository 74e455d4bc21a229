"""Read when a citizen wants to come in ("明天下午", "下周三", "月底前随便哪天") into dates.

jionlp's time extractor (jio.ner.extract_time) does the reading, in Asia/Shanghai, against the
given `now`. Around it, a few documented steps cover what it gets wrong for booking:

- rewrites before it, for forms it cannot read or misreads (`_REWRITES`: 明早, 12.5, 月底前,
  周末, 一周内);
- a date it reads in the past is read again with its own future preference ("3号" said on the
  22nd is next month's 3rd, "礼拜四" said on a Sunday is the coming Thursday); a date with an
  explicit year stays as said, so the caller can tell the citizen it is past; when the plain
  reading finds nothing, the future one is tried ("31号" said in November);
- a range that began before today starts today ("本周内" said on a Sunday is just today);
- a bare clock hour from 1 to 6 ("两点") is in the afternoon, as at a hall that opens by day;
- "过两天" (jionlp: a duration of two days) is the day after next or the day after that.
"""

import contextlib
import io
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any, Literal
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

Period = Literal["morning", "afternoon"]

_WEEK_COUNTS = {"一": 1, "1": 1, "两": 2, "二": 2, "2": 2, "三": 3, "3": 3, "四": 4, "4": 4}


def _weeks_as_days(match: re.Match[str]) -> str:
    return f"{7 * _WEEK_COUNTS[match.group(1)]}天"


# Forms jionlp 1.5 cannot read, or misreads, rewritten into forms it reads right.
_REWRITES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile("明早"), "明天早上"),
    (re.compile("今早"), "今天早上"),
    (re.compile("明晚"), "明天晚上"),
    # "12.5": month.day, as typed in chats; not part of a longer number such as 3.14159.
    (re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])\.(3[01]|[12]\d|0?[1-9])(?![\d.])"), r"\1月\2日"),
    # A bare "月底" ("月底前随便哪天") means this month's end.
    (re.compile("(?<![个本下上])月底"), "这个月底"),
    # jionlp reads "周末" as Sunday alone; the hall's Saturday service makes both days matter.
    (re.compile("([这下本]?)周末"), r"\1周六至\1周日"),
    # jionlp reads "一周内" as one day and "两周内" as two days.
    (re.compile("([一两二三四1-4])个?(?:周|星期|礼拜)(?=之?内)"), _weeks_as_days),
]
_MORNING_WORDS = re.compile("凌晨|早|上午")
_SINCE_NOW_WORDS = re.compile("过$")
# An open range ("下周以后") ends this many days after it begins.
OPEN_RANGE_DAYS = 14
_JIONLP_TIME = "%Y-%m-%d %H:%M:%S"

# jionlp's parser keeps the time base on the instance: one reading at a time.
_EXTRACTOR_LOCK = threading.Lock()


@dataclass(frozen=True)
class RequestedTime:
    earliest: date
    latest: date
    """Inclusive; the same as earliest for one day."""
    period: Period | None
    at: time | None
    """A clock time, when one was said (下午两点 → 14:00)."""
    text: str
    """The citizen's words it was read from."""


@dataclass(frozen=True)
class _Span:
    start: datetime
    end: datetime
    words: str


@cache
def _extractor() -> Any:
    # jionlp and jiojio print banners on import; the service prints nothing.
    with contextlib.redirect_stdout(io.StringIO()):
        from jionlp.algorithm.ner.time_extractor import TimeExtractor
    return TimeExtractor()


def load_time_reader() -> None:
    """Load jionlp's extractor and read one phrase (its lexicons load on first use, about half a
    second): done at start-up, not in the first citizen's request."""
    understand_when("明天上午", now=datetime.now(SHANGHAI))


def _extract(text: str, base: datetime, *, future: bool) -> list[dict[str, Any]]:
    with _EXTRACTOR_LOCK:
        return _extractor()(text, time_base=base, with_parsing=True, ret_future=future)


def _clock(value: str, *, base: datetime) -> datetime:
    if value == "-inf":
        return base.replace(hour=0, minute=0, second=0)
    return datetime.strptime(value, _JIONLP_TIME)


def _bounds(detail: dict[str, Any], base: datetime) -> tuple[datetime, datetime]:
    first, last = detail["time"]
    start = _clock(first, base=base)
    end = start + timedelta(days=OPEN_RANGE_DAYS) if last == "inf" else _clock(last, base=base)
    return start, end


def _span(entity: dict[str, Any], text: str, base: datetime) -> _Span | None:
    detail = entity["detail"]
    words = entity["text"]
    today = base.replace(hour=0, minute=0, second=0)
    if detail["type"] in ("time_point", "time_span"):
        start, end = _bounds(detail, base)
        if end < today and not re.search(r"\d{4}|年", words):
            later = _extract(words, base, future=True)
            if not later or later[0]["detail"]["type"] not in ("time_point", "time_span"):
                return None
            start, end = _bounds(later[0]["detail"], base)
            if end < today:
                return None
        return _Span(start=start, end=end, words=words)
    if detail["type"] == "time_delta" and set(detail["time"]) == {"day"}:
        days = int(detail["time"]["day"])
        if _SINCE_NOW_WORDS.search(text[: entity["offset"][0]]):
            return _Span(start=today + timedelta(days=days), end=today + timedelta(days=days + 1), words=words)
        return _Span(start=today, end=today + timedelta(days=days), words=words)
    return None


def _clock_time(span: _Span) -> time | None:
    if span.end - span.start >= timedelta(hours=1) or span.start.date() != span.end.date():
        return None
    at = span.start.time()
    if 1 <= at.hour <= 6 and not _MORNING_WORDS.search(span.words):
        at = at.replace(hour=at.hour + 12)
    return at


def _period(span: _Span, at: time | None) -> Period | None:
    if at is not None:
        return "morning" if at < time(12) else "afternoon" if at < time(18) else None
    if span.start.date() != span.end.date():
        return None
    if span.end.time() < time(12):
        return "morning"
    if time(13) <= span.start.time() and span.end.time() < time(19):
        return "afternoon"
    return None


def understand_when(text: str, *, now: datetime) -> RequestedTime | None:
    """When the citizen wants to come, read against `now` (timezone-aware); None if the text names no time."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    base = now.astimezone(SHANGHAI).replace(tzinfo=None, microsecond=0)
    rewritten = text.strip()
    for pattern, replacement in _REWRITES:
        rewritten = pattern.sub(replacement, rewritten)
    if not rewritten:
        return None
    # The future reading only when the plain one finds nothing: "31号" said in November.
    entities = _extract(rewritten, base, future=False) or _extract(rewritten, base, future=True)
    spans = [span for entity in entities if (span := _span(entity, rewritten, base))]
    if not spans:
        return None
    today = base.date()
    latest = max(span.end.date() for span in spans)
    earliest = min(span.start.date() for span in spans)
    if earliest < today <= latest:
        earliest = today
    times = [_clock_time(span) for span in spans]
    periods = {_period(span, at) for span, at in zip(spans, times, strict=True)}
    return RequestedTime(
        earliest=earliest,
        latest=latest,
        period=periods.pop() if len(periods) == 1 else None,
        at=times[0] if len(spans) == 1 else None,
        text=text.strip(),
    )
