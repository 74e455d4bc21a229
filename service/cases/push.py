"""A case's change told to the applicant's chat, written to the outbox in the change's own
transaction, through the destinations the work orders already use: into the conversation's
history through Rasa ("agent_line", tickets/channels.py) and, on WeChat, as a customer-service
text; otherwise (the web chat, a walk-in who gave only a phone) as an SMS."""

from datetime import datetime

from sqlalchemy.orm import Session

from service.cases.models import Case
from service.cases.wording import push_text
from service.core.privacy import mask_personal_data
from service.outbox import store as outbox
from service.sms.delivery import enqueue_sms
from service.webchat.notices import enqueue_notice
from service.tickets.channels import RASA
from service.tickets.conversation import wechat_openid
from service.wechat.delivery import enqueue_texts


def state_changed(session: Session, case: Case, *, author: str, at: datetime) -> None:
    """Enqueue the news of the case's current state; the caller commits it with the change."""
    text = mask_personal_data(push_text(case))
    if case.conversation_id is not None:
        outbox.enqueue(
            session, destination=RASA, stream=case.conversation_id, kind="agent_line",
            payload={"conversation_id": case.conversation_id, "author": author, "text": text,
                     "at": at.timestamp(), "case_number": case.number},
        )
    openid = wechat_openid(case.conversation_id) if case.conversation_id else None
    if openid is not None:
        enqueue_texts(session, openid=openid, texts=[text])
    else:
        if case.conversation_id and case.channel == "web":  # shown when the citizen's page is open
            enqueue_notice(session, conversation_id=case.conversation_id, text=text)
        # The web chat is rarely open when a case moves, and a walk-in gave only a phone.
        enqueue_sms(session, phone=case.phone, text=text)
