"""The WeChat access token, one for every service process, kept in the service's database.

WeChat keeps one valid token per AppID: each fetch replaces the last (the old one lives on for a
few minutes) and fetches are limited per day. Tokens kept in each process's memory would have the
workers replace each other's, and each of them refused in turn. So the token is a row of
`wechat_access_token`, behind wechatpy's session-storage interface, and one process at a time
fetches a new one under a lease (a guarded UPDATE, the same on SQLite and PostgreSQL); the others
wait for its token. Its value is in clear in the database, as it would be in wechatpy's Redis
storage: it is valid for two hours and gives only the account's API.
"""

import os
import socket
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import and_, or_, update
from sqlalchemy.orm import Session, sessionmaker
from wechatpy.session import SessionStorage

from service.core.counters import insert_ignoring_duplicates
from service.core.db import utcnow
from service.wechat.models import WechatAccessToken

# As wechatpy: a token this close to its expiry is fetched again rather than used.
REFRESH_BEFORE_S = 60
# How often a process waiting for another's refresh looks whether the new token is there.
WAIT_POLL_S = 0.05


class TokenUnavailable(Exception):
    """No valid token, and the process refreshing it did not finish within its lease."""


class DatabaseTokenStorage(SessionStorage):
    """wechatpy's session storage on the service's database. wechatpy's own fetch stores the token
    through `set`; `token` is what a send uses: the stored token, or a new one fetched once."""

    def __init__(self, sessions: sessionmaker[Session], *, lease_s: float) -> None:
        """`lease_s`: longer than a token request may take (the client's timeout)."""
        self._sessions = sessions
        self._lease_s = lease_s
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"

    # --- wechatpy's SessionStorage ---------------------------------------------------------------

    def get(self, key: str, default: str | None = None) -> str | None:
        """The token while it has more than REFRESH_BEFORE_S to live, else `default`."""
        with self._sessions() as session:
            row = session.get(WechatAccessToken, key)
            if row is None or not row.token or row.expires_at is None:
                return default
            if row.expires_at - utcnow() <= timedelta(seconds=REFRESH_BEFORE_S):
                return default
            return row.token

    def set(self, key: str, value: str | None, ttl: int | None = None) -> None:
        """A token wechatpy fetched (`ttl`: its expires_in); ends this process's refresh lease."""
        if value is None:
            return
        expires_at = utcnow() + timedelta(seconds=ttl or 7200)
        with self._sessions() as session, session.begin():
            self._ensure_row(session, key)
            session.execute(
                update(WechatAccessToken).where(WechatAccessToken.key == key)
                .values(token=value, expires_at=expires_at, refresh_until=None, refreshed_by=None)
            )

    def delete(self, key: str) -> None:
        with self._sessions() as session, session.begin():
            session.execute(update(WechatAccessToken).where(WechatAccessToken.key == key)
                            .values(token=None, expires_at=None))

    # --- one refresh for every process ---------------------------------------------------------

    def token(self, key: str, *, fetch: Callable[[], object], rejected: str | None = None) -> str:
        """A token to send with: the stored one, unless it expires soon or is `rejected` (WeChat
        refused it); then a new one, which this process fetches (`fetch` stores it through `set`)
        if it wins the lease, else waits for from the process that won it."""
        give_up_at = time.monotonic() + self._lease_s
        while True:
            token = self.get(key)
            if token is not None and token != rejected:
                return token
            if self._take_lease(key, rejected=rejected):
                try:
                    fetch()
                finally:
                    self._end_lease(key)  # already ended by `set` when the fetch succeeded
                token = self.get(key)
                if token is None:
                    raise TokenUnavailable("WeChat gave a token that expires at once")
                return token
            if time.monotonic() > give_up_at:
                raise TokenUnavailable("another process's token refresh did not finish")
            time.sleep(WAIT_POLL_S)

    def _take_lease(self, key: str, *, rejected: str | None) -> bool:
        """This process will fetch: nobody else holds a live lease, and the stored token is still
        missing, expiring or the rejected one (not already replaced by another process)."""
        now = utcnow()
        row = WechatAccessToken
        needs_new = or_(
            row.token.is_(None),
            row.expires_at.is_(None),
            row.expires_at <= now + timedelta(seconds=REFRESH_BEFORE_S),
            *([row.token == rejected] if rejected is not None else []),
        )
        with self._sessions() as session, session.begin():
            self._ensure_row(session, key)
            return session.execute(
                update(row)
                .where(row.key == key, or_(row.refresh_until.is_(None), row.refresh_until < now), needs_new)
                .values(refresh_until=now + timedelta(seconds=self._lease_s), refreshed_by=self.holder)
                .execution_options(synchronize_session=False)
            ).rowcount == 1

    def _end_lease(self, key: str) -> None:
        with self._sessions() as session, session.begin():
            session.execute(
                update(WechatAccessToken)
                .where(and_(WechatAccessToken.key == key, WechatAccessToken.refreshed_by == self.holder))
                .values(refresh_until=None, refreshed_by=None)
            )

    @staticmethod
    def _ensure_row(session: Session, key: str) -> None:
        insert_ignoring_duplicates(session, WechatAccessToken, {"key": key}, ["key"])
