"""Starts the real service, action server and Rasa server on spare ports for end-to-end tests."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import yaml

from scripts.stack import MODEL_PATH, REPO_ROOT, SERVICE_VENV, Ports, Stack

# Fixed so a failed run's logs name them; E2E_PORT_OFFSET moves them for a second checkout's run.
_OFFSET = int(os.environ.get("E2E_PORT_OFFSET", "0"))
E2E_PORTS = Ports(service=18000 + _OFFSET, actions=15055 + _OFFSET, rasa=15005 + _OFFSET)


@contextmanager
def running_stack(ports: Ports, work: Path, env: dict[str, str]) -> Iterator[Stack]:
    """Migrate and seed the service's database named in `env`, then run the three processes."""
    if not MODEL_PATH.exists():
        pytest.fail(f"no trained model at {MODEL_PATH}: run `make train` (make test does)")
    for command in ("migrate", "seed"):
        subprocess.run([str(SERVICE_VENV / "python"), "-m", "service.cli", command],
                       cwd=REPO_ROOT, env={**os.environ, **env}, check=True)
    running = Stack(ports=ports, log_dir=work / "logs", extra_env=env)
    try:
        running.start()
        yield running
    finally:
        running.stop()


def sqlite_databases(work: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{work / 'service.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{work / 'tracker.db'}",
    }


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    work = tmp_path_factory.mktemp("e2e")
    env = {
        **sqlite_databases(work),
        "TICKETS_CONFIG_PATH": str(after_hours_tickets_config(work)),
        # Rasa's HTTP API behind a token, as in production: pausing and the rest must pass it.
        "RASA_TOKEN": "e2e-rasa-token",
    }
    with running_stack(E2E_PORTS, work, env) as running:
        yield running


def after_hours_tickets_config(work: Path) -> Path:
    """The real work-order rules, with agents on duty only in an hour that is hours away:
    every order filed in these tests is filed after hours (the on-duty answer is unit-tested)."""
    rules = yaml.safe_load((REPO_ROOT / "service" / "seed" / "tickets.yaml").read_text(encoding="utf-8"))
    start = (datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(hours=6)).replace(minute=0)
    rules["agent_hours"] = {"start": f"{start:%H}:00", "end": f"{start:%H}:59"}
    path = work / "tickets.yaml"
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    return path


class Chat:
    """One citizen talking to the bot through Rasa's REST webhook."""

    def __init__(self, rasa_port: int) -> None:
        self.sender = f"e2e-{uuid.uuid4().hex[:8]}"
        self._url = f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook"

    def say(self, message: str) -> list[dict]:
        response = httpx.post(self._url, json={"sender": self.sender, "message": message}, timeout=30)
        response.raise_for_status()
        return response.json()


@pytest.fixture
def chat(stack) -> Chat:
    return Chat(stack.ports.rasa)


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def buttons(replies: list[dict]) -> list[dict]:
    return [button for reply in replies for button in reply.get("buttons", [])]
