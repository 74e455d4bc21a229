from typing import Any

from pydantic import BaseModel

from service.catalogue.schemas import Notice
from service.core.text_input import CitizenText


class AssistRequest(BaseModel):
    text: CitizenText


class Intent(BaseModel):
    name: str
    confidence: float


class AssistItem(BaseModel):
    code: str
    name: str
    department: str
    score: float


class AssistResponse(BaseModel):
    intent: Intent | None
    entities: list[dict[str, Any]]  # as Rasa gives them
    items: list[AssistItem]
    notice: Notice | None
    nlu_available: bool
