"""Shared bits of the case tests: a walk-in, the steps' bodies, counts of what is stored, and the
fixtures the case test modules import (a new case, taking steps, moving the service's clock).
"""

import pytest
from conftest import valid_id_number
from sqlalchemy import func, select

from service.cases.models import Case, CaseEvent
from service.core.db import get_session_factory
from service.core.settings import get_settings
from service.outbox.models import OutboxMessage

PHONE = "13812345678"
ITEM = "GA-SFZ-002"  # 居民身份证补领: 10 working days promised
STAFF = "窗口王芳"


def walk_in(**overrides) -> dict:
    body = {
        "staff": STAFF,
        "item_code": ITEM,
        "applicant": "张三",
        "phone": PHONE,
        "id_number": valid_id_number(7),
    }
    body.update(overrides)
    return body


# The body each step needs.
STEP_BODIES = {
    "review": {"staff": STAFF},
    "supplement": {"staff": STAFF, "materials": ["居民身份证数码相片回执", "户口簿"]},
    "resume": {"staff": STAFF},
    "approve": {"staff": STAFF},
    "reject": {"staff": STAFF, "reason": "申请人不符合补领条件"},
    "complete": {"staff": STAFF},
    "deliver": {"staff": STAFF},
    "return": {"staff": STAFF, "reason": "申请人撤回申请"},
}


def stored(url: str) -> dict:
    """Everything a refused step must leave as it was."""
    with get_session_factory(url)() as session:
        cases = session.execute(
            select(Case.number, Case.status, Case.due_on, Case.materials_missing, Case.reason, Case.updated_at)
        ).all()
        return {
            "cases": sorted(tuple(row) for row in cases),
            "events": session.scalar(select(func.count()).select_from(CaseEvent)),
            "outbox": session.scalar(select(func.count()).select_from(OutboxMessage)),
        }


@pytest.fixture
def travel(monkeypatch):
    """Moves the service's clock (settings.FIXED_NOW, local time) to another moment."""

    def _travel(moment: str) -> None:
        monkeypatch.setenv("FIXED_NOW", moment)
        get_settings.cache_clear()

    return _travel


@pytest.fixture
def new_case(booking_client, staff_headers):
    """Accepts a walk-in (with `overrides`) and answers the staff's view of it."""

    def _new_case(**overrides) -> dict:
        response = booking_client.post("/api/cases", json=walk_in(**overrides), headers=staff_headers)
        assert response.status_code == 201, response.text
        return response.json()

    return _new_case


@pytest.fixture
def step(booking_client, staff_headers):
    """Takes one step on a case, with the body that step needs unless another is given."""

    def _step(number: str, action: str, body: dict | None = None):
        return booking_client.post(
            f"/api/cases/{number}/{action}", json=STEP_BODIES[action] if body is None else body, headers=staff_headers
        )

    return _step
