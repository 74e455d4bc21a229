"""deploy/rasa/endpoints.yml as Rasa reads it: the relaying SQL tracker store and a Redis lock store
that really locks a conversation on the Redis server of this machine (its own db number)."""

import asyncio
import uuid
from pathlib import Path

import pytest

ENDPOINTS = Path(__file__).resolve().parents[2] / "deploy" / "rasa" / "endpoints.yml"
TEST_REDIS_DB = "13"


@pytest.fixture
def cluster_environment(monkeypatch, tmp_path):
    values = {
        "ACTION_ENDPOINT_URL": "http://daoban-actions:5055/webhook",
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": "6379",
        "REDIS_DB": TEST_REDIS_DB,
        "REDIS_PASSWORD": "",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def redis_or_skip():
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=int(TEST_REDIS_DB), socket_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.skip(f"Redis unreachable at 127.0.0.1:6379: {error}")
    return client


def test_the_deployed_endpoints_give_the_relaying_store_and_the_atomic_redis_lock(cluster_environment):
    from rasa.core.lock_store import LockStore
    from rasa.core.tracker_store import TrackerStore
    from rasa.core.utils import AvailableEndpoints
    from rasa.shared.core.domain import Domain

    from bot.conversation_relay import RelayingSQLTrackerStore
    from bot.lock_store import AtomicRedisLockStore

    redis = redis_or_skip()
    endpoints = AvailableEndpoints.read_endpoints(str(ENDPOINTS))
    assert endpoints.action.url == cluster_environment["ACTION_ENDPOINT_URL"]
    assert isinstance(TrackerStore.create(endpoints.tracker_store, Domain.empty()), RelayingSQLTrackerStore)

    lock_store = LockStore.create(endpoints.lock_store)
    assert isinstance(lock_store, AtomicRedisLockStore)
    conversation = f"test-{uuid.uuid4().hex}"

    async def hold_the_lock() -> list[bytes]:
        async with lock_store.lock(conversation):
            return [key for key in redis.keys("*") if conversation.encode() in key]

    try:
        held = asyncio.run(hold_the_lock())
        assert len(held) == 1 and held[0].startswith(b"daoban")
        assert not [key for key in redis.keys("*") if conversation.encode() in key]  # released
    finally:
        for key in redis.keys(f"*{conversation}*"):
            redis.delete(key)
