"""Starts, health-checks and stops the three processes: service (8000), actions (5055), Rasa (5005).

Standard library only, so `make run`, the end-to-end tests, `make eval` and `make bench`
(in either virtual environment) share one way of running the system.

    python scripts/stack.py run      # start all, wait until healthy, Ctrl-C stops all
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

REPO_ROOT = Path(__file__).resolve().parent.parent
RASA_VENV = REPO_ROOT / ".venvs" / "rasa" / "bin"
SERVICE_VENV = REPO_ROOT / ".venvs" / "svc" / "bin"
MODEL_PATH = REPO_ROOT / "models" / "daoban.tar.gz"


@dataclass(frozen=True)
class Ports:
    service: int = 8000
    actions: int = 5055
    rasa: int = 5005

    @classmethod
    def from_env(cls) -> "Ports":
        return cls(
            service=int(os.environ.get("SERVICE_PORT", 8000)),
            actions=int(os.environ.get("ACTIONS_PORT", 5055)),
            rasa=int(os.environ.get("RASA_PORT", 5005)),
        )


@dataclass
class Process:
    name: str
    command: list[str]
    health_url: str
    env: dict[str, str]
    log_path: Path
    popen: Optional[subprocess.Popen] = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        # A process group of its own, so stopping it also stops the workers it forks.
        self.popen = subprocess.Popen(
            self.command,
            cwd=REPO_ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.health_url, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self, timeout_s: float = 15) -> None:
        if not self.running():
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()


LOCAL_RASA_TOKEN = REPO_ROOT / "var" / "rasa_token"


def local_rasa_token() -> str:
    """The token that guards Rasa's HTTP API when RASA_TOKEN is not set (make run, the tests):
    made once per checkout, random, readable by its owner only."""
    LOCAL_RASA_TOKEN.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(LOCAL_RASA_TOKEN, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return LOCAL_RASA_TOKEN.read_text(encoding="utf-8").strip()
    token = secrets.token_urlsafe(32)
    with os.fdopen(descriptor, "w", encoding="utf-8") as token_file:
        token_file.write(token)
    return token


@dataclass
class Stack:
    ports: Ports = field(default_factory=Ports.from_env)
    log_dir: Path = REPO_ROOT / "var" / "logs"
    extra_env: dict[str, str] = field(default_factory=dict)
    model_path: Path = MODEL_PATH
    processes: dict[str, Process] = field(default_factory=dict)
    rasa_api_params: dict[str, str] = field(default_factory=dict)  # ?token= for Rasa's HTTP API

    def __post_init__(self) -> None:
        env = {**os.environ, **self.extra_env}
        env.setdefault("TRACKER_STORE_URL", f"sqlite:///{REPO_ROOT / 'var' / 'tracker.db'}")
        env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{self.ports.actions}/webhook"
        env["SERVICE_URL"] = f"http://127.0.0.1:{self.ports.service}"
        env["RASA_URL"] = f"http://127.0.0.1:{self.ports.rasa}"
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        # Rasa's HTTP API is never open: RASA_TOKEN, or this checkout's own token.
        env["RASA_TOKEN"] = env.get("RASA_TOKEN") or local_rasa_token()
        self.rasa_api_params = {"token": env["RASA_TOKEN"]}
        env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
        p = self.ports
        self.processes = {
            "service": Process(
                "service",
                [str(SERVICE_VENV / "uvicorn"), "service.main:app", "--host", "127.0.0.1",
                 "--port", str(p.service), "--no-access-log"],
                f"http://127.0.0.1:{p.service}/health",
                env,
                self.log_dir / "service.log",
            ),
            "actions": Process(
                "actions",
                [str(RASA_VENV / "rasa"), "run", "actions", "--port", str(p.actions)],
                f"http://127.0.0.1:{p.actions}/health",
                env,
                self.log_dir / "actions.log",
            ),
            "rasa": Process(
                "rasa",
                [str(RASA_VENV / "python"), "-m", "bot.server", "run", "--enable-api", "--cors", "*",
                 "--port", str(p.rasa), "--model", str(self.model_path),
                 "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
                 # The HTTP API (trackers, parse) only with the token; the webhooks stay open.
                 "--auth-token", env["RASA_TOKEN"]],
                f"http://127.0.0.1:{p.rasa}/status?token={env['RASA_TOKEN']}",
                env,
                self.log_dir / "rasa.log",
            ),
        }

    def start(self, names: tuple[str, ...] = ("service", "actions", "rasa"),
              timeout_s: float = 240) -> None:
        for name in names:
            self.processes[name].start()
        self.wait_healthy(names, timeout_s)

    def wait_healthy(self, names: tuple[str, ...], timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        pending = list(names)
        while pending:
            for name in list(pending):
                process = self.processes[name]
                if process.healthy():
                    pending.remove(name)
                elif not process.running():
                    raise RuntimeError(f"{name} exited; see {process.log_path}")
            if pending and time.monotonic() > deadline:
                raise RuntimeError(f"not healthy after {timeout_s:.0f}s: {', '.join(pending)}")
            if pending:
                time.sleep(0.5)

    def stop(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop()


def _run_until_interrupted() -> int:
    stack = Stack()
    print("正在启动服务、动作服务器和 Rasa（首次加载模型约需半分钟）……", flush=True)
    try:
        stack.start()
    except RuntimeError as error:
        print(f"启动失败：{error}", file=sys.stderr)
        stack.stop()
        return 1
    p = stack.ports
    print(
        "\n导办助手已就绪：\n"
        f"  和机器人对话 (REST):  curl -s localhost:{p.rasa}/webhooks/rest/webhook "
        "-H 'Content-Type: application/json' -d '{\"sender\":\"me\",\"message\":\"身份证丢了补办要带啥\"}'\n"
        f"  网页对话:             http://localhost:{p.service}/chat\n"
        f"  Socket.IO 通道:       http://localhost:{p.rasa}/socket.io\n"
        f"  窗口工作人员页面:     http://localhost:{p.service}/staff\n"
        f"  服务 API 文档:        http://localhost:{p.service}/docs\n"
        f"  12345 坐席工作台:     http://localhost:{p.service}/console（开发令牌 dev-staff-token）\n"
        f"  坐席辅助接口:         POST http://localhost:{p.service}/api/assist\n"
        f"  日志:                 {stack.log_dir}\n"
        "按 Ctrl-C 停止全部进程。",
        flush=True,
    )
    # Ctrl-C and a plain `kill` both stop everything, even when started where SIGINT is ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        while all(process.running() for process in stack.processes.values()):
            time.sleep(1)
        print("有进程意外退出，正在停止其余进程；请查看日志。", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n正在停止……", flush=True)
        return 0
    finally:
        # A second Ctrl-C or kill while stopping must not leave processes behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["run"])
    parser.parse_args()
    return _run_until_interrupted()


if __name__ == "__main__":
    sys.exit(main())
