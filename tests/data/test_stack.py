"""scripts/stack.py: Rasa's HTTP API is guarded with a token in every mode, make run included; a process
that dies at start says why."""

import argparse
import stat
import sys

import pytest

from scripts import stack
from scripts.stack import Ports, Process, Stack


def test_without_rasa_token_the_checkout_makes_its_own_once_and_keeps_it_private(tmp_path, monkeypatch):
    monkeypatch.setattr(stack, "LOCAL_RASA_TOKEN", tmp_path / "var" / "rasa_token")
    monkeypatch.delenv("RASA_TOKEN", raising=False)
    first = stack.local_rasa_token()
    assert len(first) >= 32 and stack.local_rasa_token() == first
    assert stat.S_IMODE((tmp_path / "var" / "rasa_token").stat().st_mode) == 0o600
    running = Stack(ports=Ports(service=1, actions=2, rasa=3), log_dir=tmp_path)
    rasa = running.processes["rasa"]
    assert running.rasa_api_params == {"token": first}
    assert f"--auth-token={first}" in rasa.command
    assert rasa.env["RASA_TOKEN"] == running.processes["service"].env["RASA_TOKEN"] == first


def test_a_token_that_starts_with_a_dash_is_still_the_tokens_value(tmp_path, monkeypatch):
    # A fresh checkout's token once began with "-": Rasa's parser read it as an option and exited.
    monkeypatch.setattr(stack, "LOCAL_RASA_TOKEN", tmp_path / "rasa_token")
    running = Stack(ports=Ports(service=1, actions=2, rasa=3), log_dir=tmp_path, extra_env={"RASA_TOKEN": "-x9"})
    parser = argparse.ArgumentParser()  # what Rasa's `run` parses its options with
    parser.add_argument("-t", "--auth-token")
    command = running.processes["rasa"].command
    options = [argument for argument in command if argument.startswith("--auth-token")]
    assert parser.parse_args(options).auth_token == "-x9"


def test_a_configured_rasa_token_wins(tmp_path, monkeypatch):
    monkeypatch.setattr(stack, "LOCAL_RASA_TOKEN", tmp_path / "rasa_token")
    running = Stack(ports=Ports(service=1, actions=2, rasa=3), log_dir=tmp_path, extra_env={"RASA_TOKEN": "given"})
    assert running.rasa_api_params == {"token": "given"} and not (tmp_path / "rasa_token").exists()


def test_a_process_that_exits_at_start_is_reported_with_the_end_of_its_log(tmp_path):
    says_why = "import sys; print('starting', flush=True); sys.exit('port in use')"
    crashing = Process("rasa-1", [sys.executable, "-c", says_why], "http://127.0.0.1:9/health", {},
                       tmp_path / "rasa-1.log")
    processes = stack._Processes()
    processes.processes = {"rasa-1": crashing}
    with pytest.raises(RuntimeError, match="rasa-1 exited") as raised:
        processes.start(timeout_s=30)
    assert "starting\nport in use" in str(raised.value)
