"""Checking the name, mobile or ID number a citizen typed, for the bot, before anything is booked."""

from datetime import date

from common.personal_data import mask_name
from service.booking.schemas import FieldCheckOut, PersonCheckIn, PersonCheckOut
from service.core.identity import (
    check_id_number,
    check_mobile,
    check_name,
    mask_id_number,
    mask_mobile,
)


def check_person(request: PersonCheckIn, *, today: date) -> PersonCheckOut:
    """The same rules as a booking, one field at a time, so the bot can re-ask with the reason."""
    checks = {
        "name": (check_name, mask_name),
        "phone": (check_mobile, mask_mobile),
        "id_number": (lambda text: check_id_number(text, today=today), mask_id_number),
    }
    results = {}
    for field, (check, mask) in checks.items():
        text = getattr(request, field)
        if text is None:
            continue
        try:
            value = check(text)
        except ValueError as error:
            results[field] = FieldCheckOut(ok=False, value=None, masked=None, reason=str(error))
        else:
            results[field] = FieldCheckOut(ok=True, value=value, masked=mask(value), reason=None)
    return PersonCheckOut(**results)
