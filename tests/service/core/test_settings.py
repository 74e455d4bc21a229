"""Secrets have no working default outside an explicit development mode."""

import os
import subprocess
import sys

import pytest
from pydantic import ValidationError

from service.core.settings import REPO_ROOT, Settings

REAL_SECRETS = {"STAFF_TOKEN": "a-real-token", "BOT_TOKEN": "a-bot-token", "ID_HASH_KEY": "a-real-key",
                "RASA_TOKEN": "a-rasa-token"}


@pytest.fixture
def production(monkeypatch):
    monkeypatch.setenv("ENVIRONMENT", "production")
    for name, value in REAL_SECRETS.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


@pytest.mark.parametrize("name", sorted(REAL_SECRETS))
@pytest.mark.parametrize("bad", ["", "  ", None])
def test_a_missing_or_empty_secret_is_refused_in_production(production, name, bad):
    if bad is None:
        production.delenv(name)
    else:
        production.setenv(name, bad)
    with pytest.raises(ValidationError, match=f"refusing to start: set {name} "):
        Settings(_env_file=None)


@pytest.mark.parametrize("name", ["STAFF_TOKEN", "BOT_TOKEN", "ID_HASH_KEY"])
def test_a_development_default_is_refused_in_production(production, name):
    production.setenv(name, f"dev-{name.lower().replace('_', '-')}")
    with pytest.raises(ValidationError, match=f"set {name} "):
        Settings(_env_file=None)


def test_production_starts_with_every_secret_set(production):
    settings = Settings(_env_file=None)
    assert (settings.STAFF_TOKEN, settings.BOT_TOKEN, settings.RASA_TOKEN) == ("a-real-token", "a-bot-token", "a-rasa-token")


def test_without_environment_it_is_production_not_development(monkeypatch):
    monkeypatch.delenv("ENVIRONMENT", raising=False)
    monkeypatch.delenv("STAFF_TOKEN", raising=False)
    with pytest.raises(ValidationError, match="STAFF_TOKEN"):
        Settings(_env_file=None)


def test_development_runs_on_the_known_defaults(monkeypatch):
    monkeypatch.setenv("ENVIRONMENT", "development")
    for name in REAL_SECRETS:
        monkeypatch.delenv(name, raising=False)
    assert Settings(_env_file=None).BOT_TOKEN == "dev-bot-token"


def test_the_service_process_refuses_to_start_and_names_the_variables():
    env = {k: v for k, v in os.environ.items() if k not in REAL_SECRETS and k != "ENVIRONMENT"}
    env.update(ENVIRONMENT="production", STAFF_TOKEN="a-real-token")
    started = subprocess.run([sys.executable, "-c", "import service.main"], cwd=REPO_ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert started.returncode == 1
    assert "refusing to start: set BOT_TOKEN, ID_HASH_KEY, RASA_TOKEN" in started.stderr
    assert "Traceback" not in started.stderr
