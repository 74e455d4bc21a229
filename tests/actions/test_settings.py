"""The action server refuses to start without its secrets outside development."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from actions.settings import get_settings
from common.deployment import MissingSecret

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh_settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_production_without_bot_token_is_refused(monkeypatch, fresh_settings):
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    with pytest.raises(MissingSecret, match="set BOT_TOKEN"):
        get_settings()


def test_production_takes_the_bot_token_it_is_given(monkeypatch, fresh_settings):
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("BOT_TOKEN", "a-bot-token")
    assert get_settings().bot_token == "a-bot-token"


def test_development_uses_the_known_token(monkeypatch, fresh_settings):
    monkeypatch.setenv("ENVIRONMENT", "development")
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    assert get_settings().bot_token == "dev-bot-token"


def test_the_action_server_process_refuses_to_start_and_names_the_variable():
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "ENVIRONMENT")}
    env["BOT_TOKEN"] = "dev-bot-token"  # the known development token, in production
    started = subprocess.run(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", "15999"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=180,
    )
    assert started.returncode == 1
    assert "action server: refusing to start: set BOT_TOKEN" in started.stderr
