"""Shared bits of the work-order tests: a valid order and counts of what is stored."""

from sqlalchemy import func, select

from service.core.db import get_session_factory
from service.tickets.models import Ticket, TicketEvent

PHONE = "13812345678"
MASKED_PHONE = "138****5678"


def ticket_body(**overrides) -> dict:
    body = {
        "channel": "web",
        "requester": "李女士",
        "phone": PHONE,
        "type": "投诉",
        "topic_l1": "城乡建设",
        "topic_l2": "城市建设和市政管理",
        "district": "清江区",
        "place": "滨江路 12 号小区门口",
        "content": "小区门口的路灯坏了一个多月，晚上出行很不安全，请尽快维修。",
    }
    body.update(overrides)
    return body


def ticket_counts(url: str) -> dict[str, int]:
    with get_session_factory(url)() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) for model in (Ticket, TicketEvent)
        }
