"""GET /api/meta: the vocabularies the pages label states, types and actions with."""

from fastapi import APIRouter

from service.meta.schemas import Vocabularies
from service.meta.vocabulary import vocabularies

router = APIRouter(prefix="/api", tags=["meta"])


@router.get("/meta", response_model=Vocabularies)
def get_meta() -> Vocabularies:
    return vocabularies()
