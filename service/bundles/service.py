"""Bundle queries for the router (read-only): the list and search, one bundle, its merged notice."""

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from service.booking.halls import get_hall as get_booking_hall
from service.booking.halls import group_for
from service.bundles.models import Bundle, BundleStep
from service.bundles.notice import (
    build_bundle_notice,
    bundle_situations,
    step_out,
    step_situation,
)
from service.bundles.schemas import (
    BundleDetail,
    BundleList,
    BundleNotice,
    BundleSummary,
    OneWindowOut,
)
from service.bundles.search import get_bundle_index, is_confident
from service.catalogue.models import Item
from service.catalogue.schemas import Notice
from service.catalogue.service import get_hall, item_notice
from service.core import templates as t
from service.core.errors import NotFoundError

_FULL_BUNDLE = selectinload(Bundle.steps).selectinload(BundleStep.item).selectinload(Item.department)


def get_bundle(session: Session, *, code: str) -> Bundle:
    bundle = session.scalars(select(Bundle).where(Bundle.code == code).options(_FULL_BUNDLE)).one_or_none()
    if bundle is None:
        raise NotFoundError(t.BUNDLE_NOT_FOUND.format(code=code))
    return bundle


def _summary(bundle: Bundle, score: float | None = None) -> BundleSummary:
    return BundleSummary(
        code=bundle.code, name=bundle.name, summary=bundle.summary, aliases=list(bundle.aliases),
        steps=len(bundle.steps), score=score,
    )


def list_bundles(session: Session, *, query: str | None) -> BundleList:
    """Every bundle in the seed's order, or those matching the citizen's words, best first."""
    bundles = {
        b.code: b
        for b in session.scalars(select(Bundle).order_by(Bundle.position).options(selectinload(Bundle.steps)))
    }
    if query is None:
        return BundleList(query=None, bundles=[_summary(b) for b in bundles.values()], confident=False)
    hits = get_bundle_index(session).search(query)
    return BundleList(
        query=query,
        bundles=[_summary(bundles[hit.code], hit.score) for hit in hits if hit.code in bundles],
        confident=is_confident(hits),
    )


def _situation(bundle: Bundle, situation: str | None) -> dict | None:
    if situation is None:
        return None
    chosen = next((s for s in bundle.situations if s["id"] == situation), None)
    if chosen is None:
        choices = t.SITUATION_JOIN.join(f"{s['id']}（{s['name']}）" for s in bundle.situations) or "无"
        raise NotFoundError(t.BUNDLE_SITUATION_NOT_FOUND.format(
            bundle_name=bundle.name, situation=situation, choices=choices
        ))
    return chosen


def _item_notices(session: Session, bundle: Bundle, situation: dict | None) -> dict[str, Notice]:
    """Each item step's own one-time notice, for the item situation the step takes."""
    return {
        step.key: item_notice(session, code=step.key, situation=step_situation(step, situation))
        for step in bundle.steps
        if step.item is not None
    }


def one_window(session: Session, bundle: Bundle) -> OneWindowOut | None:
    """The 综合窗口 that takes the bundle, and which item to book there so one booking covers it."""
    if not bundle.hall_code or not bundle.window_code:
        return None
    try:
        hall = get_booking_hall(session, code=bundle.hall_code)
    except NotFoundError:
        return None  # halls not imported (a seed without halls.yaml)
    window = next((w for w in hall.windows if w.code == bundle.window_code), None)
    if window is None:
        return None
    steps_at_window = [
        step for step in bundle.steps
        if step.item is not None
        and (group := group_for(hall, step.item)) is not None
        and group.window_code == window.code
    ]
    at_window = [step.item for step in steps_at_window]
    # The booking names a step everyone does, when there is one at this window.
    booking = next((s.item for s in steps_at_window if not s.when), at_window[0] if at_window else None)
    return OneWindowOut(
        hall_code=hall.code, hall_name=hall.name, hall_address=hall.address,
        window_code=window.code, window_name=window.name, note=bundle.window_note,
        booking_item_code=booking.code if booking else None,
        booking_item_name=booking.name if booking else None,
        items_at_window=[item.code for item in at_window],
    )


def bundle_detail(session: Session, *, code: str) -> BundleDetail:
    bundle = get_bundle(session, code=code)
    notices = _item_notices(session, bundle, None)
    return BundleDetail(
        code=bundle.code, name=bundle.name, summary=bundle.summary, aliases=list(bundle.aliases),
        situations=bundle_situations(bundle),
        steps=[step_out(no, s, notices.get(s.key)) for no, s in enumerate(bundle.steps, 1)],
        window=one_window(session, bundle),
    )


def bundle_notice(session: Session, *, code: str, situation: str | None) -> BundleNotice:
    bundle = get_bundle(session, code=code)
    chosen = _situation(bundle, situation)
    return build_bundle_notice(
        bundle,
        situation=chosen,
        notices=_item_notices(session, bundle, chosen),
        window=one_window(session, bundle),
        hall_name=get_hall(session).name,
    )
