"""`kill -9` of the service itself in the middle of delivering 200 WeChat texts (issue 12).

Agents write 20 lines into each of 10 WeChat work orders through the HTTP API of the app in the
test process, whose worker is off (a backlog, as after WeChat was away). The service is then
started under uvicorn with its worker (OUTBOX_WORKER), killed with SIGKILL mid-batch, and started
once more on the same database. Counted where the messages arrive, at a fake WeChat API server
(the access token a text came with tells which service process sent it) and a fake Rasa:

- WeChat gets every text, each citizen's in the order written; twice exactly the texts the killed
  process had sent and not yet recorded as delivered (WeChat has no idempotency key: what it took
  before the kill is sent again once the lease runs out), once each everything else;
- Rasa gets each agent line once, in order (the line's outbox key is checked before a retry).
"""

import httpx
from conftest import make_client, rasa_down_transport
from outbox_fakes import RasaTrackers, counts, in_arrival_order, pending, repeated, wait_until, without_repeats_in_a_row
from sqlalchemy import select

from service.core import templates as t
from service.core.db import get_session_factory
from service.core.settings import get_settings
from service.outbox.models import OutboxMessage, OutboxStatus
from service.wechat.delivery import WECHAT
from tests.live_server import ServiceProcess
from tests.service.tickets.tickets_helpers import ticket_body
from tests.service.wechat.wechat_fakes import APP_ID, APP_SECRET, TOKEN, FakeWeChatApi, fake_wechat_api, new_openid

CITIZENS = 10
LINES = 20  # per citizen: 200 WeChat texts, and as many agent lines for Rasa
HOLD_AFTER = 80  # WeChat's answers wait from this text on: the kill lands between its accepting and the record
SEND_TIMEOUT_S = 3  # WeChat's and Rasa's; a killed process's lease runs out 2 × 3 + 5 s after its claim


def service_env(*, wechat: FakeWeChatApi, rasa: RasaTrackers) -> dict[str, str]:
    return {
        "OUTBOX_WORKER": "true",  # tests/service/conftest.py turns it off for the apps in the test process
        "WECHAT_TOKEN": TOKEN, "WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": APP_SECRET,
        "WECHAT_API_BASE": wechat.base_url, "RASA_URL": rasa.url,
        "WECHAT_SEND_TIMEOUT_S": str(SEND_TIMEOUT_S), "RASA_CONVERSATION_TIMEOUT_S": str(SEND_TIMEOUT_S),
    }


def write_agent_lines(database_url: str) -> dict[str, list[str]]:
    """One claimed WeChat order per citizen, then LINES agent lines round-robin over them (each
    in its own request, as agents write); each OpenID's lines in the order written."""
    lines: dict[str, list[str]] = {}
    numbers: dict[str, str] = {}
    with make_client(database_url, rasa_down_transport()) as agents:
        agents.headers["Authorization"] = f"Bearer {get_settings().STAFF_TOKEN}"
        for _ in range(CITIZENS):
            openid = new_openid()
            created = agents.post("/api/tickets", json=ticket_body(channel="wechat", conversation_id=f"wechat:{openid}"))
            assert created.status_code == 201, created.text
            numbers[openid] = created.json()["number"]
            claimed = agents.post(f"/api/tickets/{numbers[openid]}/claim", json={"agent": "王芳"})
            assert claimed.status_code == 200, claimed.text
        for line in range(LINES):
            for openid, number in numbers.items():
                text = f"第{line:02d}条：您反映的问题正在处理（{number}）"
                written = agents.post(f"/api/tickets/{number}/messages", json={"agent": "王芳", "text": text})
                assert written.status_code == 201, written.text
                lines.setdefault(openid, []).append(text)
    return lines


def agent_text(wechat_text: str) -> str:
    return wechat_text.removeprefix(t.WECHAT_AGENT_LABEL)


def undelivered_lines(database_url: str) -> set[str]:
    """The agent lines of the WeChat texts not recorded as delivered."""
    with get_session_factory(database_url)() as session:
        rows = session.execute(select(OutboxMessage.payload, OutboxMessage.attempts).where(
            OutboxMessage.destination == WECHAT, OutboxMessage.status == OutboxStatus.PENDING)).all()
    # A failed try (the send timed out before the kill) would be a repeat of its own.
    assert all(attempts == 0 for _, attempts in rows), "a send failed before the kill"
    return {agent_text(payload["text"]) for payload, _ in rows}


def agent_lines_in_rasa(rasa: RasaTrackers, openid: str) -> list[str]:
    events = rasa.events(f"wechat:{openid}")
    assert events[0]["event"] == "pause"  # the claim's, before any line
    return [event["text"] for event in events if event["event"] == "bot"]


def test_the_service_killed_mid_batch_loses_nothing_and_repeats_only_what_wechat_had_taken(database_url, tmp_path):
    log = tmp_path / "service.log"
    with fake_wechat_api(answer_delay_s=0.03, hold_after=HOLD_AFTER) as wechat, RasaTrackers().running() as rasa:
        lines = write_agent_lines(database_url)
        assert counts(get_session_factory(database_url))["pending"] == CITIZENS * (1 + 2 * LINES)  # + the pauses

        killed = ServiceProcess(database_url=database_url, log_path=log,
                                env=service_env(wechat=wechat, rasa=rasa))
        try:
            held = wechat.holding.wait(timeout=30)
        finally:
            killed.kill()
        assert held, killed.log()
        taken_at_kill = len(wechat.sent)
        assert HOLD_AFTER <= taken_at_kill < CITIZENS * LINES * 4 // 5  # mid-batch: some taken, not all
        undelivered_at_kill = undelivered_lines(database_url)
        tokens_of_killed = set(wechat.issued_tokens)  # a dead process fetches no more tokens
        # The token is shared through the database, so the restarted process would send with the killed
        # one's. One fetched elsewhere replaces it at WeChat: the restarted process is refused once,
        # fetches its own, and its texts are told apart by it.
        httpx.get(f"{wechat.base_url}/cgi-bin/token",
                  params={"grant_type": "client_credential", "appid": APP_ID, "secret": APP_SECRET})
        wechat.release()  # the held answers go to a dead process

        restarted = ServiceProcess(database_url=database_url, log_path=log,
                                   env=service_env(wechat=wechat, rasa=rasa))
        try:
            sessions = get_session_factory(database_url)
            wait_until(lambda: not pending(sessions), within_s=40, what="every message settled after the restart")
        finally:
            restarted.stop()

    assert counts(sessions) == {"pending": 0, "delivered": CITIZENS * (1 + 2 * LINES), "dead": 0, "undeliverable": 0}
    arrivals = [(m["touser"], agent_text(m["text"]["content"])) for m in wechat.sent]
    sent_by_killed = {text for (_, text), m in zip(arrivals, wechat.sent) if m["access_token"] in tokens_of_killed}
    twice = repeated(arrivals)
    assert {text for _, text in arrivals} == {text for texts in lines.values() for text in texts}  # nothing lost
    # Twice: what WeChat took from the killed process that it had not recorded; it was sent again.
    assert set(twice) == sent_by_killed & undelivered_at_kill
    assert twice and set(twice.values()) == {2}  # the held answers make at least one certain
    assert {openid: without_repeats_in_a_row(texts) for openid, texts in in_arrival_order(arrivals).items()} == lines
    assert {openid: agent_lines_in_rasa(rasa, openid) for openid in lines} == lines  # once each, in order
    print(f"kill -9 after WeChat took {taken_at_kill} of {CITIZENS * LINES} texts "
          f"({len(undelivered_at_kill)} not recorded as delivered): {len(twice)} received twice")
