"""Halls and bookings as the API shows them: masked for citizens, in full where staff need it."""

from datetime import date

from common.personal_data import mask_name
from service.booking.halls import hours_text
from service.booking.models import Appointment, BookingHall
from service.booking.policy import reschedules_left
from service.booking.schemas import (
    AgentOut,
    AppointmentOut,
    BundleOut,
    EventOut,
    HallBrief,
    HallOut,
    StaffAppointmentOut,
    StaffDayOut,
    WindowOut,
)
from service.core import templates as t
from service.core.identity import mask_mobile


def _hall_brief(hall: BookingHall) -> HallBrief:
    return HallBrief(code=hall.code, name=hall.name, address=hall.address, phone=hall.phone)


def hall_view(hall: BookingHall) -> HallOut:
    return HallOut(
        **_hall_brief(hall).model_dump(),
        hours=hours_text(hall.slots),
        slots=list(hall.slots),
        windows=[WindowOut(code=w.code, name=w.name, hours=hours_text(w.slots)) for w in hall.windows],
    )


def citizen_view(appointment: Appointment) -> AppointmentOut:
    agent = appointment.agent
    return AppointmentOut(
        code=appointment.code,
        status=appointment.status,
        status_label=t.STATUS_LABELS[appointment.status],
        hall=_hall_brief(appointment.hall),
        item_code=appointment.item_code,
        item_name=appointment.item_name,
        situation=appointment.situation,
        date=appointment.day,
        slot=appointment.slot,
        window=appointment.window_name,
        name=mask_name(appointment.name),
        phone=mask_mobile(appointment.phone),
        id_number=appointment.id_masked,
        agent=None
        if agent is None
        else AgentOut(name=mask_name(agent["name"]), phone=mask_mobile(agent["phone"]), id_number=agent["id_masked"]),
        materials_ready=list(appointment.materials_ready),
        materials_missing=list(appointment.materials_missing),
        created_at=appointment.created_at,
        reschedules_left=reschedules_left(appointment),
        bundle=BundleOut(**appointment.bundle) if appointment.bundle else None,
    )


def staff_view(appointment: Appointment) -> StaffAppointmentOut:
    citizen = citizen_view(appointment)
    agent = appointment.agent
    return StaffAppointmentOut(
        **citizen.model_dump(exclude={"name", "agent"}),
        name=appointment.name,
        agent=None
        if agent is None
        else AgentOut(name=agent["name"], phone=mask_mobile(agent["phone"]), id_number=agent["id_masked"]),
        phone_full=appointment.phone,
        agent_phone_full=agent["phone"] if agent else None,
        events=[
            EventOut(
                at=e.at, actor=e.actor, action=e.action, from_status=e.from_status, to_status=e.to_status, note=e.note
            )
            for e in appointment.events
        ],
    )


def staff_day_view(hall: BookingHall, *, day: date, appointments: list[Appointment]) -> StaffDayOut:
    return StaffDayOut(
        date=day, hall=_hall_brief(hall), slots=list(hall.slots), appointments=[staff_view(a) for a in appointments]
    )
