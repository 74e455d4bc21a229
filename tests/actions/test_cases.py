"""办件进度 in the chat (actions/cases.py, actions/case_text.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.case_text import case_status_text, find_case_number
from actions.cases import TellCaseStatus, ValidateCaseStatusForm
from tests.actions.conftest import form_tracker, make_tracker, responses, slots

REPO_ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
NUMBER = "SL-20261201-0007"


@pytest.mark.parametrize("text, number", [
    ("受理编号SL-20261201-0007", NUMBER),
    ("sl202612010007 查下", NUMBER),
    ("SL 20261201 7 到哪了", NUMBER),
    ("受理编号QJ20240315001 查进度", None),
])
def test_case_numbers_are_read_as_typed(text, number):
    assert find_case_number(text) == number


async def run_form(fake, tracker, dispatcher):
    return slots(await ValidateCaseStatusForm(fake).run(dispatcher, tracker, DOMAIN))


async def test_the_conversations_own_case_is_told_without_questions(dispatcher, fake_service):
    fake_service.add_case(NUMBER)
    filled = await run_form(fake_service, make_tracker("我的营业执照办到哪了", "check_progress",
                                                       events=[{"event": "user"}]), dispatcher)
    assert filled["case_number"] == "own" and filled["case_own"] is True
    await TellCaseStatus(fake_service).run(dispatcher, make_tracker("", "check_progress", slots=filled), DOMAIN)
    reply = dispatcher.messages[-1]["status"]
    assert NUMBER in reply and "审查中" in reply and "下一步" in reply and "2026年12月4日" in reply


async def test_a_supplement_says_exactly_what_is_missing():
    case = {"number": NUMBER, "item_name": "食品经营许可（新办）", "department": "市市场监管局",
            "status": "supplement", "status_label": "待补正", "next_step": "请补齐以下材料后到窗口补交。",
            "materials_missing": ["营业执照复印件", "健康证明"], "reason": None,
            "deadline": {"due_on": "2026-12-10", "warning": "paused", "working_days_left": None}}
    text = case_status_text(case)
    assert "1. 营业执照复印件\n2. 健康证明" in text and "补正期间不计时" in text


async def test_an_overdue_case_says_so():
    case = {"number": NUMBER, "item_name": "x", "department": "y", "status": "reviewing", "status_label": "审查中",
            "next_step": "…", "materials_missing": [], "reason": None,
            "deadline": {"due_on": "2026-12-01", "warning": "red", "working_days_left": None}}
    assert "已超过承诺时限" in case_status_text(case)


async def test_someone_elses_case_needs_the_number_and_the_matching_phone(dispatcher, fake_service):
    fake_service.add_case(NUMBER, conversation="someone-else")
    asked = await run_form(fake_service, form_tracker(NUMBER, slots_now={"requested_slot": "case_number"}), dispatcher)
    assert asked["case_number"] == NUMBER and asked["case_own"] is False
    filled = {**asked, "case_phone": "13900000000"}
    await TellCaseStatus(fake_service).run(dispatcher, make_tracker("13900000000", "inform", slots=filled), DOMAIN)
    assert responses(dispatcher) == ["utter_case_not_found"]
    filled["case_phone"] = "13812345678"
    await TellCaseStatus(fake_service).run(dispatcher, make_tracker("13812345678", "inform", slots=filled), DOMAIN)
    assert responses(dispatcher)[-1] == "utter_case_status"


async def test_an_unreadable_number_is_asked_again(dispatcher, fake_service):
    filled = await run_form(fake_service, form_tracker("不记得了", slots_now={"requested_slot": "case_number"}),
                            dispatcher)
    assert filled["case_number"] is None and responses(dispatcher) == ["utter_case_number_invalid"]


async def test_the_service_down_ends_the_form(dispatcher, fake_service):
    fake_service.down = True
    events = await ValidateCaseStatusForm(fake_service).run(
        dispatcher, form_tracker(NUMBER, slots_now={"requested_slot": "case_number"}), DOMAIN)
    assert responses(dispatcher) == ["utter_service_unavailable"]
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)


async def test_a_form_stopped_without_a_number_tells_nothing_more(dispatcher, fake_service):
    # Rasa's rule runs the status action after any end of the form, the service-down stop included.
    await TellCaseStatus(fake_service).run(dispatcher, make_tracker("", "check_progress", slots={}), DOMAIN)
    assert dispatcher.messages == [] and fake_service.calls == []
