"""Which turns deserve a reviewer's look, queue by queue, newest first.

Button taps (payloads such as "/inform{...}") are left out: they are no citizen's words to learn from.
"""

from enum import StrEnum

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from service.catalogue.models import Item
from service.review.models import ReviewLabel
from service.review.schemas import LabelOut, ReviewTurn
from service.turns.models import Disputed, Outcome, Turn

FALLBACK_INTENT = "nlu_fallback"
# Outcomes where the bot answered on its reading of the message (a low confidence is a risk).
ANSWERED = (Outcome.NOTICE, Outcome.OFFERED, Outcome.REFERRAL)


class Queue(StrEnum):
    NOT_UNDERSTOOD = "not_understood"
    LOW_CONFIDENCE = "low_confidence"
    DISPUTED = "disputed"
    AGENT_CORRECTED = "agent_corrected"


def _belongs(queue: Queue, low_confidence: float) -> ColumnElement[bool]:
    if queue is Queue.NOT_UNDERSTOOD:
        return or_(Turn.outcome == Outcome.NOT_UNDERSTOOD, Turn.intent == FALLBACK_INTENT)
    if queue is Queue.LOW_CONFIDENCE:
        return Turn.outcome.in_(ANSWERED) & or_(
            Turn.intent_confidence < low_confidence, Turn.item_confidence < low_confidence
        )
    if queue is Queue.DISPUTED:
        return Turn.disputed.in_((Disputed.DENIED, Disputed.ASKED_PERSON))
    return Turn.disputed == Disputed.AGENT_CORRECTED


def _citizen_words() -> ColumnElement[bool]:
    return ~Turn.text.startswith("/")


def waiting_counts(session: Session, *, low_confidence: float) -> dict[Queue, int]:
    """Messages not labelled yet, per queue."""
    counts = {}
    for queue in Queue:
        counts[queue] = session.scalar(
            select(func.count(Turn.id))
            .outerjoin(ReviewLabel, ReviewLabel.turn_id == Turn.id)
            .where(_belongs(queue, low_confidence), _citizen_words(), ReviewLabel.id.is_(None))
        )
    return counts


def queue_turns(
    session: Session, *, queue: Queue, low_confidence: float, labelled: bool, limit: int, offset: int = 0
) -> list[ReviewTurn]:
    rows = session.execute(
        select(Turn, ReviewLabel)
        .outerjoin(ReviewLabel, ReviewLabel.turn_id == Turn.id)
        .where(
            _belongs(queue, low_confidence),
            _citizen_words(),
            ReviewLabel.id.is_not(None) if labelled else ReviewLabel.id.is_(None),
        )
        .order_by(Turn.at.desc(), Turn.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    names = item_names(session, {code for turn, label in rows for code in (turn.item_code, label and label.item_code)})
    return [review_turn(turn, label, names) for turn, label in rows]


def review_turn(turn: Turn, label: ReviewLabel | None, names: dict[str, str]) -> ReviewTurn:
    return ReviewTurn(
        id=turn.id, at=turn.at, channel=turn.channel, text=turn.text, intent=turn.intent,
        intent_confidence=turn.intent_confidence, item_code=turn.item_code,
        item_name=names.get(turn.item_code or ""), item_confidence=turn.item_confidence,
        outcome=turn.outcome, disputed=turn.disputed,
        label=label_out(label, names) if label else None,
    )


def label_out(label: ReviewLabel, names: dict[str, str]) -> LabelOut:
    return LabelOut.model_validate(label).model_copy(update={"item_name": names.get(label.item_code or "")})


def item_names(session: Session, codes: set[str | None]) -> dict[str, str]:
    wanted = {code for code in codes if code}
    if not wanted:
        return {}
    return dict(session.execute(select(Item.code, Item.name).where(Item.code.in_(wanted))).all())
