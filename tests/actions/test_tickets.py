"""After the handoff: asking after a work order, and the 好差评 rating, against an in-memory service.

The happy paths (an own order, another's with its phone, a rating in words) are in test_handoff.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.api.service_client import ItemNotFound, Refused
from actions.tickets import AskRating, RateTicket, TellTicketStatus, ValidateTicketStatusForm
from tests.actions.conftest import make_tracker, responses, slots

REPO_ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
HALL_PHONE = str(yaml.safe_load((REPO_ROOT / "service" / "seed" / "hall.yaml").read_text(encoding="utf-8"))["phone"])
NUMBER = "12345-20261101-00007"
ANOTHERS = {"status_number": NUMBER, "status_own": False}
STATUS_SLOTS = {"status_number", "status_phone", "status_own"}


def tracker(text, intent="inform", slots_now=None, entities=None, sender="web-1"):
    t = make_tracker(text, intent, entities=entities, slots=dict(slots_now or {}),
                     events=[{"event": "user", "text": text}])
    t.sender_id = sender
    return t


async def status_form(fake, t, dispatcher):
    return await ValidateTicketStatusForm(fake).run(dispatcher, t, DOMAIN)


# --- which order ---------------------------------------------------------------------------------


async def test_the_service_down_while_asking_ends_the_form_with_the_halls_phone(dispatcher, fake_service):
    fake_service.down = True

    events = await status_form(fake_service, tracker("我反映的事怎么样了", "query_ticket"), dispatcher)

    assert responses(dispatcher) == ["utter_service_unavailable"]
    assert dispatcher.messages[0]["hall_phone"] == HALL_PHONE
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    assert STATUS_SLOTS <= set(slots(events)) and not any(slots(events).values())


async def test_without_own_orders_on_record_the_number_is_asked(dispatcher, fake_service):
    # The service may refuse the conversation's list (a wrong bot token): no own order, no error.
    fake_service.refusals["conversation_tickets"] = Refused(403, "无权访问")

    events = await status_form(fake_service, tracker("我反映的事怎么样了", "query_ticket"), dispatcher)

    assert "status_number" not in slots(events)  # the form goes on to ask it
    assert dispatcher.messages == []


@pytest.mark.parametrize("text", ["不记得了", "12345-2026110-00007", "工单号是20261101"])
async def test_an_answer_without_an_order_number_is_refused_and_asked_again(dispatcher, fake_service, text):
    events = await status_form(fake_service, tracker(text, slots_now={"requested_slot": "status_number"}), dispatcher)

    assert responses(dispatcher) == ["utter_ticket_number_invalid"]
    assert slots(events)["status_number"] is None
    assert fake_service.calls == []  # nothing is looked up with a wrong number


async def test_a_number_typed_loosely_is_read_in_the_services_format(dispatcher, fake_service):
    asked = {"requested_slot": "status_number"}

    events = await status_form(fake_service, tracker("12345 - 20261101 - 00007", slots_now=asked), dispatcher)

    assert slots(events)["status_number"] == NUMBER and slots(events)["status_own"] is False


@pytest.mark.parametrize("text", ["138123", "不方便给", "0571-86012345"])
async def test_a_wrong_phone_for_anothers_order_is_refused_and_asked_again(dispatcher, fake_service, text):
    asked = {**ANOTHERS, "requested_slot": "status_phone"}

    events = await status_form(fake_service, tracker(text, slots_now=asked), dispatcher)

    assert responses(dispatcher) == ["utter_handoff_phone_invalid"]
    assert slots(events)["status_phone"] is None
    assert "status_number" not in slots(events)  # the number given stays


async def test_the_phone_is_read_out_of_the_sentence_and_the_order_then_told(dispatcher, fake_service):
    asked = {**ANOTHERS, "requested_slot": "status_phone"}

    events = await status_form(fake_service, tracker("我的手机是+86 139-0000-1111", slots_now=asked), dispatcher)
    assert slots(events)["status_phone"] == "13900001111"

    await TellTicketStatus(fake_service).run(dispatcher, tracker("", slots_now={**asked, **slots(events)}), DOMAIN)
    assert ("ticket_status", NUMBER, "13900001111") in fake_service.calls
    assert dispatcher.messages[0]["response"] == "utter_ticket_status"


# --- telling it ----------------------------------------------------------------------------------


async def test_the_agents_reply_is_told_and_a_missing_department_is_not(dispatcher, fake_service):
    fake_service.ticket_fields[NUMBER] = {"status_label": "已办结", "department": None,
                                          "reply": "已联系店主加装油烟净化器"}
    known = {**ANOTHERS, "status_phone": "13900001111"}

    events = await TellTicketStatus(fake_service).run(dispatcher, tracker("", slots_now=known), DOMAIN)

    assert responses(dispatcher) == ["utter_ticket_status", "utter_ticket_reply"]
    status, reply = dispatcher.messages
    assert (status["number"], status["status"], status["deadline"]) == (NUMBER, "已办结", "11月27日 10:00")
    assert reply["reply"] == "已联系店主加装油烟净化器"
    assert not any(slots(events)[name] for name in STATUS_SLOTS)  # the phone is not kept


async def test_an_own_order_not_among_the_conversations_is_not_found(dispatcher, fake_service):
    fake_service.tickets.append(("k", {}))  # 12345-20261122-00001 only

    await TellTicketStatus(fake_service).run(
        dispatcher, tracker("", slots_now={"status_number": NUMBER, "status_own": True}), DOMAIN)

    assert responses(dispatcher) == ["utter_ticket_not_found"] and dispatcher.messages[0]["number"] == NUMBER


@pytest.mark.parametrize("failure", ["down", "refused"])
async def test_telling_when_the_service_fails_gives_the_halls_phone(dispatcher, fake_service, failure):
    if failure == "down":
        fake_service.down = True
    else:
        fake_service.refusals["ticket_status"] = Refused(429, "查询过于频繁，请稍后再试")
    known = {**ANOTHERS, "status_phone": "13900001111"}

    events = await TellTicketStatus(fake_service).run(dispatcher, tracker("", slots_now=known), DOMAIN)

    assert responses(dispatcher) == ["utter_service_unavailable"]
    assert dispatcher.messages[0]["hall_phone"] == HALL_PHONE
    assert slots(events)["status_phone"] is None


# --- rating --------------------------------------------------------------------------------------


WAITING = {"rating_ticket": "12345-20261122-00003"}


def tap(level):
    """The message a tap on one of action_ask_rating's buttons sends."""
    return tracker(f'/rate_service{{"rating": "{level}"}}', "rate_service", slots_now=WAITING,
                   entities=[{"entity": "rating", "value": level}])


@pytest.mark.parametrize("level, response", [
    ("非常满意", "utter_rating_thanks"), ("满意", "utter_rating_thanks"), ("基本满意", "utter_rating_thanks"),
    ("不满意", "utter_rating_thanks_low"), ("非常不满意", "utter_rating_thanks_low"),
])
async def test_each_rating_button_is_recorded_and_a_low_one_gets_the_follow_up(
        dispatcher, fake_service, level, response):
    closed = make_tracker("", "EXTERNAL_ticket_closed",
                          entities=[{"entity": "ticket_number", "value": WAITING["rating_ticket"]}])
    await AskRating().run(dispatcher, closed, DOMAIN)
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert tap(level).latest_message["text"] in payloads

    events = await RateTicket(fake_service).run(dispatcher, tap(level), DOMAIN)

    assert fake_service.ratings == [("web-1", "12345-20261122-00003", level)]
    thanks = dispatcher.messages[-1]
    assert (thanks["response"], thanks["rating"], thanks["number"]) == (response, level, "12345-20261122-00003")
    assert slots(events) == {"rating_ticket": None}


async def test_a_rating_not_sent_is_kept_for_the_citizen_to_send_again(dispatcher, fake_service):
    fake_service.down = True
    events = await RateTicket(fake_service).run(dispatcher, tap("满意"), DOMAIN)

    assert responses(dispatcher) == ["utter_rating_not_sent"]
    assert events == []  # rating_ticket stays: the same rating can be sent again

    fake_service.down = False
    await RateTicket(fake_service).run(dispatcher, tap("满意"), DOMAIN)
    assert fake_service.ratings == [("web-1", "12345-20261122-00003", "满意")]


@pytest.mark.parametrize("refusal", [
    Refused(409, "该工单已评价过"),
    ItemNotFound("/api/conversations/web-1/tickets/12345-20261122-00003/rating"),  # not this conversation's
])
async def test_a_refused_rating_is_not_asked_again(dispatcher, fake_service, refusal):
    fake_service.refusals["rate_ticket"] = refusal

    events = await RateTicket(fake_service).run(dispatcher, tap("满意"), DOMAIN)

    assert responses(dispatcher) == ["utter_rating_refused"]
    assert slots(events) == {"rating_ticket": None}
    assert fake_service.ratings == []


async def test_a_refused_rating_tells_the_services_reason(dispatcher, fake_service):
    fake_service.refusals["rate_ticket"] = Refused(409, "该工单已评价过")

    await RateTicket(fake_service).run(dispatcher, tap("满意"), DOMAIN)

    assert dispatcher.messages[0]["reason"] == "该工单已评价过"
