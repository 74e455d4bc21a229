"""Rasa's Redis lock store with every change of a conversation's lock made atomically.

Several Rasa servers (make run-cluster) share each conversation's ticket lock in Redis, so that its
turns run one at a time whichever server takes them. Rasa 3.6's RedisLockStore changes a lock in three
steps: read it, change it, write it back. Two servers taking a ticket for one conversation at once
can then both read the same lock and hand out the same ticket number, and a server finishing its
turn can write back (or delete) a lock without the ticket another server has just taken: in both
cases two turns of one conversation run at once. Here each read-change-write is one Redis
transaction (WATCH, then MULTI/EXEC), tried again when the lock changed in between.

Configured in endpoints.yml (`lock_store: type: bot.lock_store.AtomicRedisLockStore`, set by
scripts/stack.py in cluster mode); the ticket algorithm itself is Rasa's.
"""

from __future__ import annotations

import json
from typing import Callable, Optional, Text, Tuple, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

Result = TypeVar("Result")
# A change receives the stored lock (None when there is none) and returns the lock to store
# (None: delete it) with its result.
Change = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], Result]]


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        # Rasa builds a lock store named by its module path from the whole endpoint configuration.
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    def _atomically(self, conversation_id: Text, change: Change) -> Result:
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(stored)) if stored else None
                    new_lock, result = change(lock)
                    pipe.multi()
                    if new_lock is not None:
                        pipe.set(key, new_lock.dumps())
                    elif stored is not None:
                        pipe.delete(key)
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another server changed this lock meanwhile: read it again

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take_ticket(lock: Optional[TicketLock]) -> Tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._atomically(conversation_id, take_ticket)
        except redis.RedisError as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        def drop_expired(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._atomically(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def give_back(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._atomically(conversation_id, give_back)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Gives the ticket back and deletes the lock when no one waits, in one step: a ticket taken
        meanwhile by another server is never deleted with it."""

        def give_back(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._atomically(conversation_id, give_back)
