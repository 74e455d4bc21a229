"""Writing turns: once per message, masked, and marking one as disputed afterwards."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from common.personal_data import mask_personal_data
from service.triage.classifier import get_classifier
from service.turns.models import Disputed, Outcome, Turn
from service.turns.schemas import TurnIn

# What the bot took for a government matter (a greeting, a form's step or a declined message has no topic).
GOVERNMENT_MATTERS = {Outcome.NOTICE, Outcome.OFFERED, Outcome.REFERRAL, Outcome.HANDOFF}
# Enough of a long story to review it; the rest adds nothing a reviewer needs.
STORED_TEXT_CHARS = 2000


def record(session: Session, turn: TurnIn) -> Turn:
    """The turn, stored once: a report repeated for the same message returns the first."""
    existing = _find(session, turn.conversation_id, turn.message_id)
    if existing is not None:
        return existing
    text = mask_personal_data(turn.text)[:STORED_TEXT_CHARS]
    row = Turn(**turn.model_dump(exclude={"text", "topic"}), text=text, topic=topic_of(turn, text))
    session.add(row)
    try:
        session.commit()
    except IntegrityError:  # the same report from another worker won the race
        session.rollback()
        return _find(session, turn.conversation_id, turn.message_id)
    return row


def topic_of(turn: TurnIn, masked_text: str) -> str | None:
    """The 12345 first-level topic of a message the bot took for a government matter: the one the
    citizen confirmed for a handoff ("城乡建设/物业管理" → 城乡建设), else the 12345 classifier's
    reading of the words. One taxonomy for every outcome, so the dashboard's handoff rate by topic
    compares handoffs with all the questions on that topic."""
    if turn.outcome not in GOVERNMENT_MATTERS:
        return None
    confirmed = (turn.topic or "").partition("/")[0]
    return confirmed or get_classifier().classify(content=masked_text).l1


def dispute(session: Session, *, conversation_id: str, message_id: str, reason: Disputed) -> bool:
    """Marks the turn for review; the first reason given stays. False when no such turn was recorded."""
    marked = session.execute(
        update(Turn)
        .where(Turn.conversation_id == conversation_id, Turn.message_id == message_id, Turn.disputed.is_(None))
        .values(disputed=reason)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return marked.rowcount == 1 or _find(session, conversation_id, message_id) is not None


def mark_handoff_corrected(session: Session, *, conversation_id: str, started_by: datetime) -> None:
    """An agent corrected the work order this conversation's last handoff at or before `started_by`
    filed: that turn is disputed (unless already). Written in the caller's transaction."""
    turn = session.scalar(
        select(Turn)
        .where(Turn.conversation_id == conversation_id, Turn.outcome == Outcome.HANDOFF, Turn.at <= started_by)
        .order_by(Turn.at.desc(), Turn.id.desc())
        .limit(1)
    )
    if turn is not None and turn.disputed is None:
        turn.disputed = Disputed.AGENT_CORRECTED


def _find(session: Session, conversation_id: str, message_id: str) -> Turn | None:
    return session.scalar(select(Turn).where(Turn.conversation_id == conversation_id, Turn.message_id == message_id))
