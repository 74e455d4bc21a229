"""The tracker store on SQLite commits without waiting for the disk and keeps conversations."""

from __future__ import annotations

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.conversation_relay import RelayingSQLTrackerStore


def store_at(path) -> RelayingSQLTrackerStore:
    # As endpoints.yml configures it: the whole SQLAlchemy URL.
    return RelayingSQLTrackerStore(domain=Domain.empty(), host=f"sqlite:///{path}")


async def test_sqlite_store_is_in_wal_mode_with_normal_sync_and_keeps_trackers(tmp_path, monkeypatch):
    monkeypatch.setenv("ENVIRONMENT", "development")
    monkeypatch.setenv("SERVICE_URL", "http://127.0.0.1:9")  # the turn reports are another test's concern
    store = store_at(tmp_path / "tracker.db")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL

    tracker = DialogueStateTracker.from_events("citizen-1", [
        ActionExecuted("action_listen"), UserUttered("身份证丢了补办要带啥"), BotUttered("【居民身份证补领】"),
    ])
    await store.save(tracker)
    await store.save(tracker)  # nothing new: nothing written twice
    # Another store on the same file (another Rasa instance of the same host) reads it back.
    other = store_at(tmp_path / "tracker.db")
    again = await other.retrieve("citizen-1")
    assert [e.as_dict()["event"] for e in again.events] == ["action", "user", "bot"]
    assert again.latest_message.text == "身份证丢了补办要带啥"
    for each in (store, other):
        await each.outbox.stop()
