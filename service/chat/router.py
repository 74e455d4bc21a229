"""Serves the web chat page (/chat) and tells it where the Rasa server is."""

from fastapi import APIRouter
from fastapi.responses import FileResponse
from pydantic import BaseModel

from service.core.pages import page
from service.core.settings import get_settings

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
