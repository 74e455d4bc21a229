"""scripts/stack.py: Rasa's HTTP API is guarded with a token in every mode, make run included."""

import stat

from scripts import stack
from scripts.stack import Ports, Stack


def test_without_rasa_token_the_checkout_makes_its_own_once_and_keeps_it_private(tmp_path, monkeypatch):
    monkeypatch.setattr(stack, "LOCAL_RASA_TOKEN", tmp_path / "var" / "rasa_token")
    monkeypatch.delenv("RASA_TOKEN", raising=False)
    first = stack.local_rasa_token()
    assert len(first) >= 32 and stack.local_rasa_token() == first
    assert stat.S_IMODE((tmp_path / "var" / "rasa_token").stat().st_mode) == 0o600
    running = Stack(ports=Ports(service=1, actions=2, rasa=3), log_dir=tmp_path)
    rasa = running.processes["rasa"]
    assert running.rasa_api_params == {"token": first}
    assert rasa.command[rasa.command.index("--auth-token") + 1] == first
    assert rasa.env["RASA_TOKEN"] == running.processes["service"].env["RASA_TOKEN"] == first


def test_a_configured_rasa_token_wins(tmp_path, monkeypatch):
    monkeypatch.setattr(stack, "LOCAL_RASA_TOKEN", tmp_path / "rasa_token")
    running = Stack(ports=Ports(service=1, actions=2, rasa=3), log_dir=tmp_path, extra_env={"RASA_TOKEN": "given"})
    assert running.rasa_api_params == {"token": "given"} and not (tmp_path / "rasa_token").exists()
