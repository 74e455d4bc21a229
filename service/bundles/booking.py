"""One booking for a whole life-event bundle (高效办成一件事), where the hall has a 综合窗口: the
booking names the bundle's booking item at that window, and the window takes the bundle's other
items there in the same visit. The booking itself is the booking domain's (seat, code, rules)."""

from sqlalchemy.orm import Session

from service.booking.appointments import CoveredBundle, create_appointment
from service.booking.models import Appointment
from service.booking.rules import Rules
from service.booking.schemas import AppointmentIn
from service.bundles.service import get_bundle, one_window
from service.core import templates as t
from service.core.errors import ConflictError, InvalidInputError


def book_bundle(
    session: Session, rules: Rules, *, code: str, request: AppointmentIn, idempotency_key: str, hash_key: str
) -> tuple[Appointment, bool]:
    bundle = get_bundle(session, code=code)
    window = one_window(session, bundle)
    if window is None or window.booking_item_code is None:
        raise ConflictError(t.BUNDLE_NO_ONE_BOOKING.format(bundle_name=bundle.name))
    if (request.hall, request.item_code) != (window.hall_code, window.booking_item_code):
        raise InvalidInputError(t.BUNDLE_BOOKING_ITEM.format(
            bundle_name=bundle.name, hall_name=window.hall_name, item_name=window.booking_item_name,
            item_code=window.booking_item_code))
    names = {step.item.code: step.item.name for step in bundle.steps if step.item is not None}
    covered = CoveredBundle(code=bundle.code, name=bundle.name,
                            items=[names[item_code] for item_code in window.items_at_window])
    return create_appointment(session, rules, request=request, idempotency_key=idempotency_key,
                              hash_key=hash_key, bundle=covered)
