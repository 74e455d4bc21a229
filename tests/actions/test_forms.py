"""What the forms' validators share (actions/forms.py)."""

from __future__ import annotations

from actions.forms import without_cleared_candidates
from tests.actions.conftest import make_tracker


def slot(name, value):
    return {"event": "slot", "name": name, "value": value}


def test_slots_cleared_in_the_closing_run_are_no_candidates():
    events = [{"event": "user", "text": "我要投诉"}, {"event": "action", "name": "action_start_handoff"},
              slot("handoff_phone", None), slot("handoff_type", None), slot("handoff_type", "投诉"),
              slot("handoff_place", "东湖路"), slot("handoff_place", None)]
    tracker = make_tracker("我要投诉", "complain", slots={"handoff_type": "投诉"}, events=events)
    answers = without_cleared_candidates(tracker)
    # The latest value of each slot decides: a slot set then cleared is left out too.
    assert answers.slots_to_validate() == {"handoff_type": "投诉"}
    assert answers.slots is tracker.slots  # validators update the slots as they go
    assert tracker.events == events and tracker.slots_to_validate()["handoff_phone"] is None


def test_a_tracker_without_cleared_candidates_is_used_as_it_is():
    events = [{"event": "user", "text": "13812345678"}, slot("handoff_phone", "13812345678")]
    tracker = make_tracker("13812345678", "inform", events=events)
    assert without_cleared_candidates(tracker) is tracker
    only_user = make_tracker("你好", "greet", events=[{"event": "user", "text": "你好"}])
    assert without_cleared_candidates(only_user) is only_user
