"""HTTP routes of pre-registration: parse the request, call the booking modules, answer."""

from contextlib import AbstractContextManager, nullcontext
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from service.booking import appointments, halls, person_check, views
from service.booking import availability as free_slots  # the module; `availability` is a route below
from service.booking.appointments import Proof
from service.booking.rules import Rules, current_rules
from service.booking.schemas import (
    AppointmentIn,
    AppointmentOut,
    AvailabilityIn,
    AvailabilityOut,
    HallOut,
    IdempotencyKeyHeader,
    Mobile,
    PersonCheckIn,
    PersonCheckOut,
    ProofIn,
    RescheduleIn,
    SlotsOut,
    StaffAppointmentOut,
    StaffDayOut,
    StatusIn,
)
from service.core import clock
from service.core import templates as t
from service.core.auth import BotCaller, only_the_bot_names_conversations, require_bot, require_staff
from service.core.db import SessionDep
from service.core.guesses import phone_guesses
from service.core.pages import page
from service.core.settings import get_settings

RulesDep = Annotated[Rules, Depends(current_rules)]

def _proof(phone: str | None, conversation_id: str | None, bot: bool) -> Proof:
    only_the_bot_names_conversations(conversation_id, bot)
    if phone is None and conversation_id is None:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, detail=t.PROOF_MISSING)
    return Proof(phone=phone, conversation_id=None if phone else conversation_id)


def _guesses(session: Session, proof: Proof, code: str) -> AbstractContextManager[None]:
    """Wrong phones for a booking code are limited; the bot's conversation proof is not a guess."""
    return phone_guesses(session, kind="booking", number=code) if proof.phone is not None else nullcontext()

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
    bot: BotCaller,
    body: AppointmentIn,
    response: Response,
    idempotency_key: IdempotencyKeyHeader,
) -> AppointmentOut:
    only_the_bot_names_conversations(body.conversation_id, bot)
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


@appointment_router.get("", response_model=list[AppointmentOut], dependencies=[Depends(require_bot)])
def conversation_appointments(
    session: SessionDep, rules: RulesDep, conversation: Annotated[str, Query(min_length=1, max_length=128)]
) -> list[AppointmentOut]:
    """The bot asks which bookings a conversation (or WeChat user) made that are still to come."""
    found = appointments.coming_for_conversation(session, conversation_id=conversation, today=rules.today)
    return [views.citizen_view(a) for a in found]


@appointment_router.get("/{code}", response_model=AppointmentOut)
def get_appointment(
    session: SessionDep,
    bot: BotCaller,
    code: str,
    phone: Annotated[Mobile | None, Query()] = None,
    conversation: Annotated[str | None, Query(min_length=1, max_length=128)] = None,
) -> AppointmentOut:
    proof = _proof(phone, conversation, bot)
    with _guesses(session, proof, code):
        return views.citizen_view(appointments.get_appointment(session, code=code, proof=proof))


@appointment_router.post("/{code}/cancel", response_model=AppointmentOut)
def cancel_appointment(session: SessionDep, rules: RulesDep, bot: BotCaller, code: str, body: ProofIn) -> AppointmentOut:
    proof = _proof(body.phone, body.conversation_id, bot)
    with _guesses(session, proof, code):
        return views.citizen_view(appointments.cancel_appointment(session, rules, code=code, proof=proof))


@appointment_router.post("/{code}/reschedule", response_model=AppointmentOut)
def reschedule_appointment(
    session: SessionDep, rules: RulesDep, bot: BotCaller, code: str, body: RescheduleIn
) -> AppointmentOut:
    proof = _proof(body.phone, body.conversation_id, bot)
    with _guesses(session, proof, code):
        appointment = appointments.reschedule_appointment(
            session, rules, code=code, proof=proof, day=body.date, slot=body.slot
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
