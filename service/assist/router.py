"""POST /api/assist: one citizen message in, items and (when sure) a one-time notice out."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from service.assist.schemas import AssistRequest, AssistResponse
from service.assist.service import assist
from service.core.db import SessionDep
from service.core.rasa import RasaClient

router = APIRouter(prefix="/api", tags=["assist"])


def get_rasa_client(request: Request) -> RasaClient:
    return request.app.state.rasa_client


@router.post("/assist", response_model=AssistResponse)
async def post_assist(
    body: AssistRequest,
    session: SessionDep,
    rasa: Annotated[RasaClient, Depends(get_rasa_client)],
) -> AssistResponse:
    return await assist(session=session, rasa=rasa, text=body.text)
