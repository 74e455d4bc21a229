"""POST /api/assist around a fake Rasa: combination rules, confidence, Rasa down or slow."""

import asyncio

import httpx
import pytest
from conftest import fake_rasa_transport, make_client, row_counts

from service.catalogue.search import SearchHit, is_confident


def _parse(intent="ask_item_guide", confidence=0.9, entities=()):
    return lambda text: {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": list(entities),
    }


@pytest.fixture
def assist_with(fixture_db_url):
    clients = []

    def open_client(transport):
        client = make_client(fixture_db_url, transport).__enter__()
        clients.append(client)
        return lambda text: client.post("/api/assist", json={"text": text})

    yield open_client
    for client in clients:
        client.__exit__(None, None, None)


def test_rasa_down_still_returns_search_results(client, fixture_db_url):
    before = row_counts(fixture_db_url)
    body = client.post("/api/assist", json={"text": "身份证丢了补办要带啥"}).json()
    assert body["nlu_available"] is False and body["intent"] is None and body["entities"] == []
    assert body["items"][0] == {
        "code": "GA-SFZ-002",
        "name": "居民身份证补领",
        "department": "测试市公安局",
        "score": body["items"][0]["score"],
    }
    assert body["notice"]["item"]["code"] == "GA-SFZ-002"
    assert row_counts(fixture_db_url) == before  # assist writes nothing


def test_intent_and_entities_are_passed_through(assist_with):
    entity = {"entity": "service_item", "value": "居民身份证补领", "start": 0, "end": 5, "extractor": "RegexEntityExtractor"}
    body = assist_with(fake_rasa_transport(_parse(entities=[entity])))("身份证丢了").json()
    assert body["nlu_available"] is True
    assert body["intent"] == {"name": "ask_item_guide", "confidence": 0.9}
    assert body["entities"] == [entity]


def test_a_service_item_entity_decides_neither_the_item_nor_a_notice(assist_with):
    # The NLU read a neighbouring item in the words; the whole message names another.
    entity = {"entity": "service_item", "value": "普通护照签发"}
    post = assist_with(fake_rasa_transport(_parse(entities=[entity])))
    body = post("身份证丢了补办要带啥").json()
    assert body["entities"] == [entity]
    assert body["items"][0]["code"] == "GA-SFZ-002"
    assert body["notice"]["item"]["code"] == "GA-SFZ-002"
    # Nor does it make an unsure search sure.
    assert post("身份证").json()["notice"] is None


def test_unknown_entity_value_changes_nothing(assist_with):
    post = assist_with(fake_rasa_transport(_parse(entities=[{"entity": "service_item", "value": "火星签证"}])))
    assert post("身份证丢了").json()["items"][0]["code"] == "GA-SFZ-002"


@pytest.mark.parametrize("intent", ["greet", "out_of_scope", "nlu_fallback"])
def test_non_item_intents_get_no_notice(assist_with, intent):
    body = assist_with(fake_rasa_transport(_parse(intent=intent)))("你好，身份证丢了").json()
    assert body["notice"] is None
    assert body["items"]  # the search results are still there


def test_ambiguous_question_gets_no_notice(client):
    body = client.post("/api/assist", json={"text": "身份证"}).json()
    assert {i["code"] for i in body["items"][:2]} == {"GA-SFZ-001", "GA-SFZ-002"}
    assert body["notice"] is None


def test_slow_rasa_times_out(assist_with):
    async def slow(request):
        await asyncio.sleep(5)
        return httpx.Response(200, json={})

    body = assist_with(httpx.MockTransport(slow))("身份证丢了").json()
    assert body["nlu_available"] is False
    assert body["items"][0]["code"] == "GA-SFZ-002"


def test_rasa_errors_and_garbage_count_as_unavailable(assist_with):
    post = assist_with(httpx.MockTransport(lambda request: httpx.Response(500, text="boom")))
    assert post("身份证丢了").json()["nlu_available"] is False
    post = assist_with(httpx.MockTransport(lambda request: httpx.Response(200, text="not json")))
    assert post("身份证丢了").json()["nlu_available"] is False


def _hit(score):
    return SearchHit(code=str(score), name="", department="", score=score, handled_here=True, situations=())


@pytest.mark.parametrize(
    ("scores", "confident"),
    [([], False), ([0.9], True), ([0.5], False), ([0.9, 0.85], False), ([0.9, 0.7], False), ([0.9, 0.6], True),
     ([0.6, 0.3], True), ([0.6, 0.5], False)],
)
def test_confidence_rule(scores, confident):
    assert is_confident([_hit(s) for s in scores]) is confident
