"""POST /api/tickets/classify: suggested type and topic for a work order's text."""

from fastapi import APIRouter

from service.triage.classifier import get_classifier
from service.triage.schemas import ClassifyRequest, ClassifyResponse, Topic

router = APIRouter(prefix="/api/tickets", tags=["tickets"])


@router.post("/classify", response_model=ClassifyResponse)
def post_classify(body: ClassifyRequest) -> ClassifyResponse:
    result = get_classifier().classify(content=body.content, title=body.title)
    return ClassifyResponse(type=result.type, topic=Topic(l1=result.l1, l2=result.l2), confidence=result.confidence)
