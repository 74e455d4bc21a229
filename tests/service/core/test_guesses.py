"""Wrong phones for one number are counted in the database: every count kept under concurrency,
the number locked after the limit until its window has passed (SQLite and PostgreSQL)."""

import threading
from datetime import UTC, datetime, timedelta

from service.core.db import get_session_factory
from service.core.errors import TooManyRequestsError
from service.core.guesses import count_wrong, refuse_while_locked

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
WINDOW_S = 900


def wrong_answer(url: str, subject: str, now: datetime) -> int:
    with get_session_factory(url)() as session:
        count = count_wrong(session, subject=subject, now=now, window_s=WINDOW_S)
        session.commit()
        return count


def locked(url: str, subject: str, now: datetime, limit: int = 5) -> str | None:
    with get_session_factory(url)() as session:
        try:
            refuse_while_locked(session, subject=subject, now=now, limit=limit, window_s=WINDOW_S)
        except TooManyRequestsError as refused:
            return refused.detail
    return None


def test_a_number_is_locked_after_the_limit_until_its_window_has_passed(database_url):
    for minute in range(4):
        assert wrong_answer(database_url, "booking:A", T0 + timedelta(minutes=minute)) == minute + 1
    assert locked(database_url, "booking:A", T0 + timedelta(minutes=4)) is None  # four are allowed
    assert wrong_answer(database_url, "booking:A", T0 + timedelta(minutes=4)) == 5
    detail = locked(database_url, "booking:A", T0 + timedelta(minutes=5))
    assert detail is not None and "10 分钟后再试" in detail  # the window started at T0: 15 minutes
    assert locked(database_url, "booking:B", T0 + timedelta(minutes=5)) is None  # another number
    after = T0 + timedelta(seconds=WINDOW_S)
    assert locked(database_url, "booking:A", after) is None
    assert wrong_answer(database_url, "booking:A", after) == 1  # a new window


def test_concurrent_wrong_answers_are_each_counted(database_url):
    wrong_answer(database_url, "ticket:X", T0)  # the row exists: every thread below updates it
    start = threading.Barrier(12)
    counts: list[int] = []

    def guess() -> None:
        start.wait()
        counts.append(wrong_answer(database_url, "ticket:X", T0 + timedelta(seconds=1)))

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == list(range(2, 14))
