"""Delivery deduplication in the database (blocking: call from a thread)."""

import hashlib
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from service.core.db import utcnow
from service.wechat.models import DeliveryStatus, WechatDelivery

# WeChat retries within about 15 seconds; older deliveries are forgotten.
KEEP_DELIVERIES = timedelta(days=1)


def digest(value: str) -> str:
    """sha256 hex: how OpenIDs and delivery keys are stored and logged."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def claim_delivery(sessions: sessionmaker[Session], *, key: str) -> WechatDelivery | None:
    """Takes a delivery for processing: None when this call took it, else the earlier delivery.

    The unique dedup_key decides, so two workers given the same retry cannot both take it.
    """
    with sessions() as session:
        session.execute(delete(WechatDelivery).where(WechatDelivery.created_at < utcnow() - KEEP_DELIVERIES))
        session.add(WechatDelivery(dedup_key=key, status=DeliveryStatus.PROCESSING))
        try:
            session.commit()
            return None
        except IntegrityError:
            session.rollback()
        return session.scalar(select(WechatDelivery).where(WechatDelivery.dedup_key == key))


def find_delivery(sessions: sessionmaker[Session], *, key: str) -> WechatDelivery | None:
    with sessions() as session:
        return session.scalar(select(WechatDelivery).where(WechatDelivery.dedup_key == key))


def settle_delivery(
    sessions: sessionmaker[Session], *, key: str, status: DeliveryStatus, reply: str | None = None
) -> None:
    with sessions() as session:
        session.execute(
            update(WechatDelivery).where(WechatDelivery.dedup_key == key).values(status=status, reply=reply)
        )
        session.commit()
