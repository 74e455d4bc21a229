"""Where the time of a catalogue turn goes, in `make bench`: each part timed alone on the running stack.

- NLU: Rasa's `/model/parse` of the same message (tokenizer, classifier, entities);
- the action server: its `/webhook` with the request Rasa sends for the turn's custom action,
  rebuilt from the conversation's tracker (the events before the action); once as Rasa sends it
  now, without the domain (endpoints.yml: enable_selective_domain), once with Rasa's whole
  domain added, as Rasa 3.6 sends it by default;
- the service: the calls the action makes for it (the search, then the item's notice);
- the rest, the whole turn less NLU and action server: policies, the tracker store, Rasa's own
  work around the action call (serialising the tracker and domain, checking the answer) and
  the REST channel. The same rest of the no-action turn (its turn less its NLU) has no action call,
  so the difference between the two rests is Rasa's own cost of calling an action.

Medians of repeated requests, one at a time, after the warm-up.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any, Optional

import aiohttp

from scripts.bench_timing import summary, timed_gets, timed_posts

CATALOGUE_ACTION = "action_answer_service_question"


async def recorded_action_call(rasa_url: str, token_params: dict, message: str) -> tuple[dict, dict]:
    """The request Rasa sends the action server for a new conversation's `message`, and Rasa's domain."""
    sender = f"breakdown-{uuid.uuid4().hex[:10]}"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        async with session.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}):
            pass
        async with session.get(f"{rasa_url}/conversations/{sender}/tracker", params=token_params) as response:
            tracker = await response.json()
        async with session.get(f"{rasa_url}/domain", params=token_params,
                               headers={"Accept": "application/json"}) as response:
            domain = await response.json()
    events = tracker["events"]
    called_at = max(i for i, e in enumerate(events) if e.get("event") == "action" and e.get("name") == CATALOGUE_ACTION)
    before = events[:called_at]
    # The slots as they were when the action was called: replayed from the events before it.
    slots: dict[str, Any] = {name: None for name in tracker.get("slots", {})}
    for event in before:
        if event.get("event") == "slot":
            slots[event["name"]] = event.get("value")
    tracker = {**tracker, "events": before, "slots": slots}
    return {"next_action": CATALOGUE_ACTION, "sender_id": sender, "tracker": tracker, "version": "3.6.21"}, domain


async def timed_service_calls(service_url: str, message: str, repeats: int) -> list[float]:
    """The catalogue action's calls to the service, in order, on one kept-alive connection."""
    latencies = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        for _ in range(repeats):
            started = time.perf_counter()
            async with session.get(f"{service_url}/api/catalogue/search", params={"q": message, "limit": "5"}) as r:
                hits = (await r.json())["items"]
            async with session.get(f"{service_url}/api/catalogue/items/{hits[0]['code']}/notice") as r:
                await r.read()
            latencies.append(time.perf_counter() - started)
    return latencies


def _p50(latencies: list[float]) -> float:
    return summary(latencies)["p50_ms"]


async def measure_breakdown(rasa_url: str, actions_url: str, service_url: str, token_params: dict,
                            catalogue_message: str, plain_message: str, turn_p50_ms: dict[str, float],
                            repeats: int = 60) -> dict[str, Any]:
    """The parts of the catalogue turn (`turn_p50_ms`: the whole turns' medians at concurrency 1)."""
    request, domain = await recorded_action_call(rasa_url, token_params, catalogue_message)
    with_domain = {**request, "domain": domain}
    parse = f"{rasa_url}/model/parse"
    nlu = _p50(await timed_posts(parse, {"text": catalogue_message}, repeats, token_params))
    plain_nlu = _p50(await timed_posts(parse, {"text": plain_message}, repeats, token_params))
    action = _p50(await timed_posts(f"{actions_url}/webhook", request, repeats))
    action_with_domain = _p50(await timed_posts(f"{actions_url}/webhook", with_domain, repeats))
    service = _p50(await timed_service_calls(service_url, catalogue_message, repeats))
    health = _p50(await timed_gets(f"{service_url}/health", [{}], repeats))
    catalogue_rest = turn_p50_ms["catalogue"] - nlu - action
    plain_rest = turn_p50_ms["plain"] - plain_nlu
    return {
        "catalogue_turn_ms": turn_p50_ms["catalogue"],
        "nlu_ms": nlu,
        "action_server_ms": action,
        "action_server_with_domain_ms": action_with_domain,
        "service_calls_ms": service,
        "service_health_ms": health,
        "action_code_ms": round(action - service, 1),
        "rest_ms": round(catalogue_rest, 1),
        "no_action_turn_ms": turn_p50_ms["plain"],
        "no_action_nlu_ms": plain_nlu,
        "no_action_rest_ms": round(plain_rest, 1),
        "action_call_in_rasa_ms": round(catalogue_rest - plain_rest, 1),
        "request_kb": round(len(json.dumps(request)) / 1024, 1),
        "request_with_domain_kb": round(len(json.dumps(with_domain)) / 1024, 1),
    }


def print_breakdown(parts: Optional[dict]) -> None:
    if not parts:
        return
    print(f" where a catalogue turn's {parts['catalogue_turn_ms']} ms go (medians, concurrency 1):")
    print(f"   NLU (/model/parse) {parts['nlu_ms']} ms; action server {parts['action_server_ms']} ms "
          f"(of which service calls {parts['service_calls_ms']} ms, its /health {parts['service_health_ms']} ms; "
          f"{parts['action_server_with_domain_ms']} ms with Rasa's domain added: request "
          f"{parts['request_kb']} KB, {parts['request_with_domain_kb']} KB with it)")
    print(f"   rest (policies, tracker store, action call in Rasa, REST channel) {parts['rest_ms']} ms; "
          f"the no-action turn's rest {parts['no_action_rest_ms']} ms (of {parts['no_action_turn_ms']} ms, "
          f"NLU {parts['no_action_nlu_ms']} ms): Rasa's own cost of the action call {parts['action_call_in_rasa_ms']} ms")
