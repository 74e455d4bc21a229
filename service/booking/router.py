"""HTTP routes of pre-registration: parse the request, call the booking modules, answer."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response, status
from fastapi.responses import FileResponse

from service.booking import appointments, halls, person_check, views
from service.booking import availability as free_slots  # the module; `availability` is a route below
from service.booking.rules import Rules, current_rules
from service.booking.schemas import (
    AppointmentIn,
    AppointmentOut,
    AvailabilityIn,
    AvailabilityOut,
    HallOut,
    Mobile,
    PersonCheckIn,
    PersonCheckOut,
    PhoneIn,
    RescheduleIn,
    SlotsOut,
    StaffAppointmentOut,
    StaffDayOut,
    StatusIn,
)
from service.core import clock
from service.core.auth import require_staff
from service.core.db import SessionDep
from service.core.pages import page
from service.core.settings import get_settings

RulesDep = Annotated[Rules, Depends(current_rules)]

hall_router = APIRouter(prefix="/api/halls", tags=["booking"])
appointment_router = APIRouter(prefix="/api/appointments", tags=["booking"])
staff_router = APIRouter(prefix="/api/staff", tags=["staff"], dependencies=[Depends(require_staff)])
page_router = APIRouter(include_in_schema=False)


@hall_router.get("", response_model=list[HallOut])
def list_halls(
    session: SessionDep,
    item: Annotated[str | None, Query(max_length=32, description="只列出可预约该事项的大厅")] = None,
) -> list[HallOut]:
    return [views.hall_view(hall) for hall in halls.list_halls(session, item_code=item)]


@hall_router.get("/{hall}/slots", response_model=SlotsOut)
def hall_slots(
    session: SessionDep,
    rules: RulesDep,
    hall: str,
    day: Annotated[date, Query(alias="date", description="YYYY-MM-DD")],
    item: Annotated[str, Query(max_length=32, description="事项编码")],
) -> SlotsOut:
    return free_slots.hall_slots(session, rules, hall_code=hall, day=day, item_code=item)


@hall_router.post("/{hall}/availability", response_model=AvailabilityOut)
def availability(session: SessionDep, rules: RulesDep, hall: str, body: AvailabilityIn) -> AvailabilityOut:
    return free_slots.availability(session, rules, hall_code=hall, when=body.when, item_code=body.item)


@appointment_router.post(
    "", response_model=AppointmentOut, status_code=201, responses={200: {"description": "a retry: the same booking"}}
)
def create_appointment(
    session: SessionDep,
    rules: RulesDep,
    body: AppointmentIn,
    response: Response,
    idempotency_key: Annotated[
        str, Header(alias="Idempotency-Key", min_length=8, max_length=128, pattern=r"^[A-Za-z0-9_\-:.]+$")
    ],
) -> AppointmentOut:
    appointment, created = appointments.create_appointment(
        session, rules, request=body, idempotency_key=idempotency_key, hash_key=get_settings().ID_HASH_KEY
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return views.citizen_view(appointment)


@appointment_router.post("/check-person", response_model=PersonCheckOut)
def check_person(body: PersonCheckIn) -> PersonCheckOut:
    """Checks a name, mobile or ID number as a booking would, without booking anything."""
    return person_check.check_person(body, today=clock.today())


@appointment_router.get("/{code}", response_model=AppointmentOut)
def get_appointment(session: SessionDep, code: str, phone: Annotated[Mobile, Query()]) -> AppointmentOut:
    return views.citizen_view(appointments.get_appointment(session, code=code, phone=phone))


@appointment_router.post("/{code}/cancel", response_model=AppointmentOut)
def cancel_appointment(session: SessionDep, code: str, body: PhoneIn) -> AppointmentOut:
    return views.citizen_view(appointments.cancel_appointment(session, code=code, phone=body.phone))


@appointment_router.post("/{code}/reschedule", response_model=AppointmentOut)
def reschedule_appointment(session: SessionDep, rules: RulesDep, code: str, body: RescheduleIn) -> AppointmentOut:
    appointment = appointments.reschedule_appointment(
        session, rules, code=code, phone=body.phone, day=body.date, slot=body.slot
    )
    return views.citizen_view(appointment)


@staff_router.get("/appointments", response_model=StaffDayOut)
def staff_appointments(
    session: SessionDep,
    day: Annotated[date, Query(alias="date")],
    hall: Annotated[str, Query(max_length=8)],
) -> StaffDayOut:
    return appointments.staff_day(session, hall_code=hall, day=day)


@staff_router.patch("/appointments/{code}", response_model=StaffAppointmentOut)
def staff_set_status(session: SessionDep, code: str, body: StatusIn) -> StaffAppointmentOut:
    return views.staff_view(appointments.set_status(session, code=code, status=body.status, by=body.by))


@page_router.get("/staff")
def staff_page() -> FileResponse:
    return page("staff.html")
