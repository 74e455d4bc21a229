"""GET /api/meta: every state, type and action once, in the enums' order, with the service's own label.

The pages label everything with this answer, so it must say what the service says elsewhere.
"""

from enum import StrEnum

import pytest
from sqlalchemy import select

from service.booking.models import Status as BookingStatus
from service.core import templates as t
from service.core.db import get_session_factory
from service.outbox.models import PARKED, OutboxMessage
from service.tickets.models import CLAIMABLE, OPEN, Channel, Satisfaction, TicketType, Urgency
from service.tickets.models import Status as TicketStatus

ENUMS: list[tuple[str, type[StrEnum], dict[str, str] | None]] = [
    ("ticket_statuses", TicketStatus, t.TICKET_STATUS_LABELS),
    ("ticket_types", TicketType, None),  # the value is Chinese already and is its own label
    ("ticket_urgencies", Urgency, None),
    ("ticket_channels", Channel, t.TICKET_CHANNEL_LABELS),
    ("ticket_satisfactions", Satisfaction, None),
    ("booking_statuses", BookingStatus, t.STATUS_LABELS),
]


@pytest.fixture
def meta(client) -> dict:
    response = client.get("/api/meta")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize(("name", "members", "labels"), ENUMS, ids=[name for name, _, _ in ENUMS])
def test_every_member_once_with_the_python_label(meta, name, members, labels):
    terms = meta[name]
    assert [term["value"] for term in terms] == [member.value for member in members]
    for term in terms:
        assert term["label"].strip()
        assert term["label"] == (labels[term["value"]] if labels else term["value"])


def test_ticket_states_say_which_wait_for_an_agent_and_which_are_open(meta):
    states = {term["value"]: term for term in meta["ticket_statuses"]}
    assert {value for value, term in states.items() if term["claimable"]} == {s.value for s in CLAIMABLE}
    assert {value for value, term in states.items() if term["open"]} == {s.value for s in OPEN}


def test_ticket_actions_are_the_service_wording(meta):
    assert {term["value"]: term["label"] for term in meta["ticket_actions"]} == t.TICKET_ACTIONS
    assert all(term["label"].strip() for term in meta["ticket_actions"])


def test_an_order_speaks_the_same_vocabulary(client, meta, staff_headers):
    """What an order's answer holds (status label, event actions, allowed actions) is all in /api/meta."""
    body = {"channel": "hotline", "phone": "13812345678", "type": "求助", "content": "小区门口的井盖缺失，晚上很危险"}
    created = client.post("/api/tickets", json=body)
    assert created.status_code == 201, created.text
    number = created.json()["number"]
    claimed = client.post(f"/api/tickets/{number}/claim", json={"agent": "王芳"}, headers=staff_headers).json()
    statuses = {term["value"]: term["label"] for term in meta["ticket_statuses"]}
    actions = {term["value"] for term in meta["ticket_actions"]}
    assert claimed["status_label"] == statuses[claimed["status"]]
    assert {event["action"] for event in claimed["events"]} == {"create", "claim"}
    assert {event["action"] for event in claimed["events"]} | set(claimed["allowed_actions"]) <= actions


def test_the_page_vocabulary_is_public(client):
    assert client.get("/api/meta", headers={"Authorization": "Bearer wrong"}).status_code == 200


def test_each_ticket_state_lists_the_steps_the_workflow_allows_from_it(meta):
    actions = {term["value"]: term["actions"] for term in meta["ticket_statuses"]}
    assert actions["new"] == ["claim", "reassign"]
    assert actions["claimed"] == ["reply", "return", "reassign"]
    assert actions["replied"] == ["return", "close"]
    assert actions["closed"] == []


def test_booking_states_list_the_window_staff_moves_with_their_button_labels(meta):
    moves = {term["value"]: [(m["value"], m["label"]) for m in term["moves"]] for term in meta["booking_statuses"]}
    assert moves["booked"] == [("arrived", "到场"), ("no_show", "未到")]
    assert moves["arrived"] == [("done", "办结")]
    assert moves["no_show"] == [("arrived", "到场")]
    assert moves["done"] == moves["cancelled"] == []


def test_parked_outbox_messages_are_labelled_by_kind_and_by_why_they_are_parked(meta):
    assert {term["value"]: term["label"] for term in meta["outbox_kinds"]} == t.OUTBOX_KIND_LABELS
    assert [term["value"] for term in meta["outbox_statuses"]] == [status.value for status in PARKED]
    assert {term["value"]: term["label"] for term in meta["outbox_statuses"]} == t.OUTBOX_STATUS_LABELS
    assert all(term["label"].strip() for term in meta["outbox_kinds"] + meta["outbox_statuses"])


def test_every_kind_of_message_an_order_sends_has_a_label(booking_client, booking_db_url, meta, staff_headers):
    """A WeChat order through claim, message, reply and close writes every kind the console may show."""
    body = {"channel": "wechat", "conversation_id": "wechat:oMeta", "phone": "13812345678", "type": "求助",
            "content": "小区门口的井盖缺失，晚上很危险"}
    number = booking_client.post("/api/tickets", json=body).json()["number"]
    agent = {"agent": "王芳"}
    for path, extra in (("claim", {}), ("messages", {"text": "您好"}), ("reply", {"reply": "已处理"}), ("close", {})):
        step = booking_client.post(f"/api/tickets/{number}/{path}", json=agent | extra, headers=staff_headers)
        assert step.status_code in (200, 201), step.text
    with get_session_factory(booking_db_url)() as session:
        written = set(session.scalars(select(OutboxMessage.kind).where(OutboxMessage.ticket_number == number)))
    assert written == {term["value"] for term in meta["outbox_kinds"]}
