"""A reviewer's label of a turn, given or replaced, with who and when."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.core import templates as t
from service.core.errors import ConflictError, InvalidInputError, NotFoundError
from service.review.models import ReviewLabel
from service.review.queues import item_names
from service.review.schemas import LabelIn
from service.turns.models import Turn


def give_label(session: Session, *, turn_id: int, label: LabelIn, now: datetime) -> tuple[ReviewLabel, dict[str, str]]:
    """The turn's label (replacing an earlier one) and the names of the items it names."""
    if session.get(Turn, turn_id) is None:
        raise NotFoundError(t.REVIEW_TURN_NOT_FOUND.format(turn_id=turn_id))
    names = item_names(session, {label.item_code})
    if label.item_code and label.item_code not in names:
        raise InvalidInputError(t.REVIEW_UNKNOWN_ITEM.format(code=label.item_code))
    row = session.scalar(select(ReviewLabel).where(ReviewLabel.turn_id == turn_id))
    if row is None:
        row = ReviewLabel(turn_id=turn_id)
        session.add(row)
    row.kind, row.intent, row.item_code = label.kind, label.intent, label.item_code
    row.phrase, row.reviewer, row.labelled_at = label.phrase, label.reviewer, now
    try:
        session.commit()
    except IntegrityError:  # another reviewer labelled it first, at the same moment
        session.rollback()
        raise ConflictError(t.REVIEW_LABELLED_MEANWHILE) from None
    return row, names
