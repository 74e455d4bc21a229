"""The WeChat access token is one for all service processes: fetched once, refreshed once.

Each sender is a real process of its own (as service workers are), on one database, against the
fake WeChat API, which — stricter than WeChat, which lets an old token live a few more minutes —
accepts only the token it issued last. Tokens kept per process would be fetched by each and then
refused in turn."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import update
from wechat_fakes import APP_ID, APP_SECRET, fake_wechat_api

from service.core.db import get_session_factory, utcnow
from service.wechat.models import WechatAccessToken
from tests.live_server import REPO_ROOT

SENDS_PER_PROCESS = 5
SENDER = """
import asyncio, pathlib, sys, time
from service.core.db import get_session_factory
from service.wechat.clients import WeChatApiClient

db_url, base_url, app_id, secret, go, label = sys.argv[1:]

async def main() -> None:
    client = WeChatApiClient(base_url=base_url, app_id=app_id, app_secret=secret, sessions=get_session_factory(db_url))
    print("ready", flush=True)
    while not pathlib.Path(go).exists():  # every process starts sending at the same moment
        time.sleep(0.005)
    codes = await asyncio.gather(*(client.send_text(openid="o1", content=f"{label}-{i}") for i in range(%d)))
    print(" ".join(str(code) for code in codes), flush=True)
    await client.aclose()

asyncio.run(main())
""" % SENDS_PER_PROCESS


def send_from_processes(db_url: str, base_url: str, go: Path, *, processes: int = 2) -> list[str]:
    """Each process sends SENDS_PER_PROCESS texts at once, all processes together; their errcodes."""
    go.unlink(missing_ok=True)
    senders = [
        subprocess.Popen(
            [sys.executable, "-c", SENDER, db_url, base_url, APP_ID, APP_SECRET, str(go), f"p{index}"],
            cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for index in range(processes)
    ]
    try:
        for sender in senders:
            assert sender.stdout.readline().strip() == "ready", sender.stderr.read()
        go.touch()
        results = [sender.communicate(timeout=60) for sender in senders]
    finally:
        for sender in senders:
            sender.kill() if sender.poll() is None else None
    assert all(sender.returncode == 0 for sender in senders), [err for _, err in results]
    return [code for out, _ in results for code in out.split()]


def expire_token_in(db_url: str, seconds: float) -> None:
    with get_session_factory(db_url)() as session, session.begin():
        session.execute(update(WechatAccessToken).values(expires_at=utcnow() + timedelta(seconds=seconds)))


def test_two_processes_fetch_one_token_and_refresh_it_once(database_url, tmp_path):
    go = tmp_path / "go"
    with fake_wechat_api() as api:
        codes = send_from_processes(database_url, api.base_url, go)
        assert codes == ["0"] * (2 * SENDS_PER_PROCESS)
        assert len(api.token_requests) == 1 and api.refused_tokens == []

        expire_token_in(database_url, 30)  # within the minute before expiry: both want a new one
        codes = send_from_processes(database_url, api.base_url, go)
        assert codes == ["0"] * (2 * SENDS_PER_PROCESS)
        assert len(api.token_requests) == 2 and api.refused_tokens == []
        assert {message["access_token"] for message in api.sent} == {"ACCESS_TOKEN_1", "ACCESS_TOKEN_2"}
        assert len(api.sent) == 4 * SENDS_PER_PROCESS


def test_a_token_wechat_refuses_is_replaced_once_for_every_process(database_url, tmp_path):
    go = tmp_path / "go"
    with fake_wechat_api() as api:
        send_from_processes(database_url, api.base_url, go, processes=1)
        # Someone fetches a token with the same AppSecret elsewhere: WeChat now refuses the stored one.
        outside = httpx.get(f"{api.base_url}/cgi-bin/token",
                            params={"grant_type": "client_credential", "appid": APP_ID, "secret": APP_SECRET})
        assert outside.json()["access_token"] == "ACCESS_TOKEN_2"
        codes = send_from_processes(database_url, api.base_url, go)
    assert codes == ["0"] * (2 * SENDS_PER_PROCESS)
    # Every refused send tried once more, with the one token that one process fetched for all.
    assert len(api.token_requests) == 3
    assert set(api.refused_tokens) == {"ACCESS_TOKEN_1"}
    assert {message["access_token"] for message in api.sent[SENDS_PER_PROCESS:]} == {"ACCESS_TOKEN_3"}
