"""Serves the web chat page (/chat), tells it where the Rasa server is, and hands it the notices
that wait for its conversation (service/webchat/notices.py)."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from service.core.db import SessionDep, utcnow
from service.core.pages import page
from service.core.settings import get_settings
from service.webchat import notices

router = APIRouter(tags=["chat"])


class ChatConfig(BaseModel):
    rasa_url: str


@router.get("/chat", include_in_schema=False)
def chat_page() -> FileResponse:
    return page("chat.html")


@router.get("/api/chat/config", response_model=ChatConfig)
def chat_config() -> ChatConfig:
    """The Rasa server the citizen's browser talks to: RASA_PUBLIC_URL when set, else RASA_URL."""
    settings = get_settings()
    return ChatConfig(rasa_url=settings.RASA_PUBLIC_URL or settings.RASA_URL)


# The page's own conversation id ("web-" and 32 hex digits): it names the conversation's notices.
WebConversation = Annotated[str, Path(pattern=r"^web-[0-9a-f]{16,64}$")]


class NoticeOut(BaseModel):
    id: int
    text: str
    at: datetime


class ShownIn(BaseModel):
    up_to: int = Field(ge=1)


@router.get("/api/chat/{conversation_id}/notices", response_model=list[NoticeOut])
def conversation_notices(session: SessionDep, conversation_id: WebConversation) -> list[NoticeOut]:
    """What waits for this web chat (a booking reminder, a case's news), oldest first."""
    return [NoticeOut(id=m.id, text=m.payload["text"], at=m.created_at)
            for m in notices.waiting(session, conversation_id=conversation_id)]


@router.post("/api/chat/{conversation_id}/notices/shown", status_code=204)
def notices_shown(session: SessionDep, conversation_id: WebConversation, body: ShownIn) -> None:
    notices.shown(session, conversation_id=conversation_id, up_to=body.up_to, now=utcnow())
    session.commit()
