from actions.fallback import ActionHandleFallback, consecutive_fallbacks
from tests.actions.conftest import make_tracker


def user(intent):
    return {"event": "user", "parse_data": {"intent": {"name": intent}}}


def test_counts_only_the_latest_run_of_fallbacks():
    events = [user("nlu_fallback"), user("greet"), {"event": "bot"}, user("nlu_fallback"),
              {"event": "action"}, user("nlu_fallback")]
    assert consecutive_fallbacks(events) == 2
    assert consecutive_fallbacks([user("greet")]) == 0


async def test_first_failure_asks_to_rephrase_second_hands_over(dispatcher):
    once = make_tracker("啊吧啊吧", "nlu_fallback", events=[user("nlu_fallback")])
    await ActionHandleFallback().run(dispatcher, once, {})
    assert dispatcher.messages[-1]["response"] == "utter_ask_rephrase"

    twice = make_tracker("呃呃", "nlu_fallback", events=[user("nlu_fallback"), {"event": "bot"}, user("nlu_fallback")])
    events = await ActionHandleFallback().run(dispatcher, twice, {})
    assert [e["name"] for e in events if e["event"] == "followup"] == ["action_start_handoff"]
