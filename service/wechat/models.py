"""What the connector remembers: which deliveries it has taken (WeChat retries a message) and the
API access token every process uses."""

import enum
from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.core.columns import string_enum
from service.core.db import Base, UTCDateTime, utcnow


class DeliveryStatus(enum.StrEnum):
    PROCESSING = "processing"  # the bot is answering
    REPLIED = "replied"  # answered passively; `reply` is what was sent
    DEFERRED = "deferred"  # answered "success"; the answer goes through the customer-service API


class WechatDelivery(Base):
    """One message or event from WeChat, whatever number of times WeChat delivered it."""

    __tablename__ = "wechat_delivery"
    __table_args__ = (Index("ix_wechat_delivery_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # sha256 of the MsgId (events: FromUserName + CreateTime + Event): no OpenID stored in clear.
    dedup_key: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[DeliveryStatus] = mapped_column(
        string_enum(DeliveryStatus, "wechat_delivery_status")
    )
    # The passive reply, sent again when WeChat retries because it did not get the first one.
    reply: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WechatAccessToken(Base):
    """The access token of one AppID, shared by every service process (service/wechat/tokens.py).

    WeChat keeps one token valid per AppID (a fetch replaces the last one), so processes must not
    each fetch their own; `refresh_until` and `refreshed_by` are the lease of the one refreshing it."""

    __tablename__ = "wechat_access_token"

    key: Mapped[str] = mapped_column(String(96), primary_key=True)  # wechatpy's "<AppID>_access_token"
    token: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refresh_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refreshed_by: Mapped[str | None] = mapped_column(String(128))
