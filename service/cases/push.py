"""A case's change told to the applicant's chat, written to the outbox in the change's own
transaction, through the destinations the work orders already use: into the conversation's
history through Rasa ("agent_line", tickets/channels.py) and, on WeChat, as a customer-service
text. A case with no conversation (a walk-in who gave none) has nothing to push."""

from datetime import datetime

from sqlalchemy.orm import Session

from service.cases.models import Case
from service.cases.wording import push_text
from service.core.privacy import mask_personal_data
from service.outbox import store as outbox
from service.tickets.channels import RASA
from service.tickets.conversation import wechat_openid
from service.wechat.delivery import enqueue_texts


def state_changed(session: Session, case: Case, *, author: str, at: datetime) -> None:
    """Enqueue the news of the case's current state; the caller commits it with the change."""
    if case.conversation_id is None:
        return
    text = mask_personal_data(push_text(case))
    outbox.enqueue(
        session, destination=RASA, stream=case.conversation_id, kind="agent_line",
        payload={"conversation_id": case.conversation_id, "author": author, "text": text, "at": at.timestamp(),
                 "case_number": case.number},
    )
    openid = wechat_openid(case.conversation_id)
    if openid is not None:
        enqueue_texts(session, openid=openid, texts=[text])
