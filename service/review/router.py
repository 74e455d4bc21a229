"""The review page (/review) and its API (/api/review, staff token): queues, labels, the vocabulary.

The page asks POST /api/assist for suggestions; this API only reads turns and stores labels.
"""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import FileResponse

from service.core import clock
from service.core import templates as t
from service.core.auth import require_staff
from service.core.db import SessionDep
from service.core.pages import page
from service.core.settings import get_settings
from service.review import labels, queues
from service.review.queues import Queue
from service.review.schemas import Choice, LabelIn, LabelOut, QueueCount, ReviewTurn, Vocabulary

router = APIRouter(prefix="/api/review", tags=["review (staff)"], dependencies=[Depends(require_staff)])
page_router = APIRouter(tags=["review"], include_in_schema=False)
NowDep = Annotated[datetime, Depends(clock.now)]
TurnId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@page_router.get("/review")
def review_page() -> FileResponse:
    return page("review.html")


@router.get("/vocabulary", response_model=Vocabulary)
def vocabulary() -> Vocabulary:
    return Vocabulary(
        intents=_choices(t.REVIEW_INTENTS),
        read_only_intents=_choices(t.REVIEW_READ_ONLY_INTENTS),
        kinds=_choices(t.REVIEW_LABEL_KINDS),
        outcomes=_choices(t.REVIEW_OUTCOMES),
        disputes=_choices(t.REVIEW_DISPUTES),
        low_confidence=get_settings().REVIEW_LOW_CONFIDENCE,
    )


def _choices(labels: dict[str, str]) -> list[Choice]:
    return [Choice(value=value, label=label) for value, label in labels.items()]


@router.get("/queues", response_model=list[QueueCount])
def queue_counts(session: SessionDep) -> list[QueueCount]:
    counts = queues.waiting_counts(session, low_confidence=get_settings().REVIEW_LOW_CONFIDENCE)
    return [QueueCount(queue=queue, label=t.REVIEW_QUEUES[queue], waiting=count) for queue, count in counts.items()]


@router.get("/queues/{queue}", response_model=list[ReviewTurn])
def queue_turns(
    session: SessionDep,
    queue: Queue,
    labelled: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ReviewTurn]:
    return queues.queue_turns(
        session, queue=queue, low_confidence=get_settings().REVIEW_LOW_CONFIDENCE,
        labelled=labelled, limit=limit, offset=offset,
    )


@router.put("/turns/{turn_id}/label", response_model=LabelOut)
def label_turn(session: SessionDep, now: NowDep, turn_id: TurnId, body: LabelIn) -> LabelOut:
    row, names = labels.give_label(session, turn_id=turn_id, label=body, now=now)
    return queues.label_out(row, names)
