"""Starts, health-checks and stops the three processes: service (8000), actions (5055), Rasa (5005),
or the cluster: several of each on PostgreSQL and Redis behind nginx (README, "Cluster mode").

Standard library only, so `make run`, `make run-cluster`, the end-to-end and cluster tests,
`make eval` and `make bench` (in either virtual environment) share one way of running the system.

    python scripts/stack.py run      # start all, wait until healthy, Ctrl-C stops all
    python scripts/stack.py cluster  # the same for the cluster (sizes and stores from the environment)
"""

from __future__ import annotations

import argparse
import os
import pwd
import secrets
import shutil
import signal
import string
import subprocess
import sys
import time
import urllib.error
import urllib.parse
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

    def log_tail(self, lines: int = 25) -> str:
        """The end of its log, where a process that exited says why (a CI run's files are gone after it)."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL to the whole process group: a crash, with no chance to finish anything."""
        if self.running():
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()

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


# endpoints.yml's lock store for one Rasa server (make run): its conversations' locks in memory.
IN_MEMORY_LOCK_STORE = {"LOCK_STORE_TYPE": "in_memory", "LOCK_STORE_HOST": "", "LOCK_STORE_PORT": "6379",
                        "LOCK_STORE_DB": "0", "LOCK_STORE_KEY_PREFIX": ""}


# The servers keep an idle connection longer than their clients do (aiohttp, Rasa's client of the
# action server and the actions' of the service: 15 s; httpx, the service's of Rasa: 5 s), so that no
# client sends a request down a connection the server is closing. With the servers' 5 s, `make bench`
# lost a catalogue turn so ("Cannot write to closing transport" from the action server's connection).
SERVER_KEEP_ALIVE_S = 20


def _base_env(extra_env: dict[str, str]) -> dict[str, str]:
    """What every process of a stack or a cluster gets, before the addresses of its neighbours."""
    env = {**os.environ, **extra_env}
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("SANIC_KEEP_ALIVE_TIMEOUT", str(SERVER_KEEP_ALIVE_S))  # Rasa and the action servers
    # Rasa's HTTP API is never open: RASA_TOKEN, or this checkout's own token.
    env["RASA_TOKEN"] = env.get("RASA_TOKEN") or local_rasa_token()
    # endpoints.yml reads these; one Rasa server serialises its conversations in memory.
    for name, value in IN_MEMORY_LOCK_STORE.items():
        env.setdefault(name, value)
    return env


def service_process(name: str, port: int, env: dict[str, str], log_dir: Path) -> Process:
    return Process(
        name,
        [str(SERVICE_VENV / "uvicorn"), "service.main:app", "--host", "127.0.0.1",
         "--port", str(port), "--no-access-log", "--timeout-keep-alive", str(SERVER_KEEP_ALIVE_S)],
        f"http://127.0.0.1:{port}/health",
        env,
        log_dir / f"{name}.log",
    )


def actions_process(name: str, port: int, env: dict[str, str], log_dir: Path) -> Process:
    return Process(
        name,
        [str(RASA_VENV / "rasa"), "run", "actions", "--port", str(port)],
        f"http://127.0.0.1:{port}/health",
        env,
        log_dir / f"{name}.log",
    )


def rasa_process(name: str, port: int, env: dict[str, str], log_dir: Path, model_path: Path,
                 interface: str = "0.0.0.0") -> Process:
    return Process(
        name,
        [str(RASA_VENV / "python"), "-m", "bot.server", "run", "--enable-api", "--cors", "*",
         "--interface", interface, "--port", str(port), "--model", str(model_path),
         "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
         # The HTTP API (trackers, parse) only with the token; the webhooks stay open. One argument
         # with "=": a token that starts with "-" (1 in 64 of token_urlsafe's) is not an option.
         f"--auth-token={env['RASA_TOKEN']}"],
        f"http://127.0.0.1:{port}/status?token={env['RASA_TOKEN']}",
        env,
        log_dir / f"{name}.log",
    )


class _Processes:
    """Starting, health-checking and stopping a set of named processes (a stack or a cluster)."""

    processes: dict[str, Process]

    def start(self, names: Optional[tuple[str, ...]] = None, timeout_s: float = 240) -> None:
        names = tuple(self.processes) if names is None else names
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
                    raise RuntimeError(f"{name} exited; see {process.log_path}, which ends:\n{process.log_tail()}")
            if pending and time.monotonic() > deadline:
                raise RuntimeError(f"not healthy after {timeout_s:.0f}s: {', '.join(pending)}")
            if pending:
                time.sleep(0.5)

    def stop(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop()


@dataclass
class Stack(_Processes):
    ports: Ports = field(default_factory=Ports.from_env)
    log_dir: Path = REPO_ROOT / "var" / "logs"
    extra_env: dict[str, str] = field(default_factory=dict)
    model_path: Path = MODEL_PATH
    processes: dict[str, Process] = field(default_factory=dict)
    rasa_api_params: dict[str, str] = field(default_factory=dict)  # ?token= for Rasa's HTTP API

    def __post_init__(self) -> None:
        env = _base_env(self.extra_env)
        env.setdefault("TRACKER_STORE_URL", f"sqlite:///{REPO_ROOT / 'var' / 'tracker.db'}")
        env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{self.ports.actions}/webhook"
        env["SERVICE_URL"] = f"http://127.0.0.1:{self.ports.service}"
        env["RASA_URL"] = f"http://127.0.0.1:{self.ports.rasa}"
        self.rasa_api_params = {"token": env["RASA_TOKEN"]}
        p = self.ports
        self.processes = {
            "service": service_process("service", p.service, env, self.log_dir),
            "actions": actions_process("actions", p.actions, env, self.log_dir),
            "rasa": rasa_process("rasa", p.rasa, env, self.log_dir, self.model_path),
        }


# ---- Cluster mode: N Rasa servers, M action servers, K service processes behind nginx. ----

NGINX_TEMPLATE = REPO_ROOT / "scripts" / "nginx.conf.template"
LOCAL_POSTGRESQL = "postgresql://postgres@127.0.0.1:5432"
CLUSTER_DEFAULTS = {
    "DATABASE_URL": f"{LOCAL_POSTGRESQL.replace('postgresql', 'postgresql+psycopg', 1)}/daoban_cluster",
    "TRACKER_STORE_URL": f"{LOCAL_POSTGRESQL}/daoban_cluster_tracker",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
}
# Rasa, the actions and the service in one cluster: at most this many of each (their port ranges).
MAX_INSTANCES = 10


@dataclass(frozen=True)
class ClusterSize:
    rasa: int = 2
    actions: int = 2
    service: int = 2

    @classmethod
    def from_env(cls) -> "ClusterSize":
        size = cls(
            rasa=int(os.environ.get("RASA_INSTANCES", 2)),
            actions=int(os.environ.get("ACTION_INSTANCES", 2)),
            service=int(os.environ.get("SERVICE_WORKERS", 2)),
        )
        if not all(1 <= n <= MAX_INSTANCES for n in (size.rasa, size.actions, size.service)):
            raise ValueError(f"RASA_INSTANCES, ACTION_INSTANCES and SERVICE_WORKERS must be 1-{MAX_INSTANCES}")
        return size


@dataclass(frozen=True)
class ClusterPorts:
    """Everything from one base port: nginx's public port, its two inside ports, then each kind's range."""

    base: int = 7000

    @classmethod
    def from_env(cls) -> "ClusterPorts":
        return cls(base=int(os.environ.get("CLUSTER_PORT", 7000)))

    @property
    def public(self) -> int:  # citizens, staff, WeChat: the webhooks, Socket.IO, pages and /api
        return self.base

    @property
    def rasa_api(self) -> int:  # inside only: the service's calls of Rasa's HTTP API, with the token
        return self.base + 1

    @property
    def actions_api(self) -> int:  # inside only: the Rasa servers' calls of the action servers
        return self.base + 2

    def service(self, index: int) -> int:
        return self.base + 10 + index

    def rasa(self, index: int) -> int:
        return self.base + 10 + MAX_INSTANCES + index

    def actions(self, index: int) -> int:
        return self.base + 10 + 2 * MAX_INSTANCES + index


def lock_store_env(redis_url: str, key_prefix: str) -> dict[str, str]:
    """endpoints.yml's lock_store from redis://host:port/db (Rasa's RedisLockStore takes them apart)."""
    parsed = urllib.parse.urlsplit(redis_url)
    if parsed.scheme != "redis" or not parsed.hostname:
        raise ValueError(f"REDIS_URL must look like redis://host:6379/1, not {redis_url!r}")
    if not key_prefix.isalnum():
        raise ValueError("REDIS_KEY_PREFIX must be letters and digits only (Rasa ignores any other)")
    return {
        "LOCK_STORE_TYPE": "bot.lock_store.AtomicRedisLockStore",  # Rasa's RedisLockStore, made atomic
        "LOCK_STORE_HOST": parsed.hostname,
        "LOCK_STORE_PORT": str(parsed.port or 6379),
        "LOCK_STORE_DB": parsed.path.strip("/") or "0",
        "LOCK_STORE_KEY_PREFIX": key_prefix,
    }


class _NginxTemplate(string.Template):
    delimiter = "@"  # nginx's own variables start with $


@dataclass
class Cluster(_Processes):
    size: ClusterSize = field(default_factory=ClusterSize.from_env)
    ports: ClusterPorts = field(default_factory=ClusterPorts.from_env)
    work_dir: Path = REPO_ROOT / "var" / "cluster"
    extra_env: dict[str, str] = field(default_factory=dict)
    model_path: Path = MODEL_PATH
    processes: dict[str, Process] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        env = _base_env(self.extra_env)
        for name, default in CLUSTER_DEFAULTS.items():
            # A SQLite file cannot be shared by processes on several hosts: the .env of `make run` is not meant.
            if not env.get(name) or env[name].startswith("sqlite"):
                env[name] = default
        env.update(lock_store_env(env["REDIS_URL"], env.get("REDIS_KEY_PREFIX") or "daoban"))
        p = self.ports
        env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{p.actions_api}/webhook"
        env["RASA_URL"] = f"http://127.0.0.1:{p.rasa_api}"
        # The actions and the tracker store's relay reach the service as everyone does, through nginx.
        env["SERVICE_URL"] = f"http://127.0.0.1:{p.public}"
        # The web chat page talks to the Rasa servers through nginx too.
        env.setdefault("RASA_PUBLIC_URL", f"http://localhost:{p.public}")
        # Only nginx listens outside this host; the action servers (Sanic) bind where SANIC_HOST says.
        env["SANIC_HOST"] = "127.0.0.1"
        self.env = env
        logs = self.work_dir / "logs"
        processes = [service_process(f"service-{i + 1}", p.service(i), env, logs) for i in range(self.size.service)]
        processes += [actions_process(f"actions-{i + 1}", p.actions(i), env, logs) for i in range(self.size.actions)]
        processes += [rasa_process(f"rasa-{i + 1}", p.rasa(i), env, logs, self.model_path, interface="127.0.0.1")
                      for i in range(self.size.rasa)]
        processes.append(Process(
            "nginx",
            [nginx_binary(), "-p", str(self.work_dir / "nginx"), "-c", str(self.nginx_config_path),
             "-e", str(logs / "nginx-error.log"), "-g", "daemon off;"],
            f"http://127.0.0.1:{p.public}/health",
            env,
            logs / "nginx.log",
        ))
        self.processes = {process.name: process for process in processes}

    @property
    def rasa_names(self) -> list[str]:
        return [name for name in self.processes if name.startswith("rasa-")]

    @property
    def nginx_config_path(self) -> Path:
        return self.work_dir / "nginx" / "nginx.conf"

    @property
    def rasa_api_params(self) -> dict[str, str]:
        return {"token": self.env["RASA_TOKEN"]}

    def prepare(self) -> None:
        """The databases (created when missing, with Rasa's tables), the service's migrations and seed,
        and nginx's configuration; run before `start`."""
        for script in ([str(RASA_VENV / "python"), "scripts/cluster_databases.py"],
                       [str(SERVICE_VENV / "python"), "-m", "service.cli", "migrate"],
                       [str(SERVICE_VENV / "python"), "-m", "service.cli", "seed"]):
            subprocess.run(script, cwd=REPO_ROOT, env=self.env, check=True, stdout=subprocess.DEVNULL)
        self.write_nginx_config()

    def write_nginx_config(self) -> None:
        p = self.ports

        def servers(ports: list[int]) -> str:
            # Passive health checks: after 2 failures in 10 s a server is left out for 10 s.
            return "\n".join(f"        server 127.0.0.1:{port} max_fails=2 fail_timeout=10s;" for port in ports)

        config = _NginxTemplate(NGINX_TEMPLATE.read_text(encoding="utf-8")).substitute(
            work_dir=self.work_dir / "nginx",
            user=pwd.getpwuid(os.geteuid()).pw_name,
            public_port=p.public,
            rasa_api_port=p.rasa_api,
            actions_api_port=p.actions_api,
            rasa_servers=servers([p.rasa(i) for i in range(self.size.rasa)]),
            action_servers=servers([p.actions(i) for i in range(self.size.actions)]),
            service_servers=servers([p.service(i) for i in range(self.size.service)]),
        )
        self.nginx_config_path.parent.mkdir(parents=True, exist_ok=True)
        self.nginx_config_path.write_text(config, encoding="utf-8")


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
                                           if Path(path).exists()), None)
    if found is None:
        raise RuntimeError("nginx is not installed: `make nginx` installs Debian's package")
    return found


def _stack_ready_message(stack: Stack) -> str:
    p = stack.ports
    return (
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
        "按 Ctrl-C 停止全部进程。"
    )


def _cluster_ready_message(cluster: Cluster) -> str:
    public, size = cluster.ports.public, cluster.size
    return (
        f"\n导办助手集群已就绪（Rasa {size.rasa} 个、动作服务器 {size.actions} 个、服务进程 {size.service} 个，nginx 在前）：\n"
        f"  和机器人对话 (REST):  curl -s localhost:{public}/webhooks/rest/webhook "
        "-H 'Content-Type: application/json' -d '{\"sender\":\"me\",\"message\":\"身份证丢了补办要带啥\"}'\n"
        f"  网页对话:             http://localhost:{public}/chat\n"
        f"  窗口工作人员页面:     http://localhost:{public}/staff\n"
        f"  12345 坐席工作台:     http://localhost:{public}/console\n"
        f"  健康检查:             http://localhost:{public}/health\n"
        f"  日志:                 {cluster.work_dir / 'logs'}\n"
        "按 Ctrl-C 停止全部进程。"
    )


def _run_until_interrupted(group: _Processes, starting: str, ready) -> int:
    print(starting, flush=True)
    try:
        group.start()
    except RuntimeError as error:
        print(f"启动失败：{error}", file=sys.stderr)
        group.stop()
        return 1
    print(ready(group), flush=True)
    # Ctrl-C and a plain `kill` both stop everything, even when started where SIGINT is ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        while all(process.running() for process in group.processes.values()):
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
        group.stop()


def _run_cluster() -> int:
    try:
        cluster = Cluster()
    except (ValueError, RuntimeError) as error:
        print(f"无法启动集群：{error}", file=sys.stderr)
        return 1
    print("正在准备数据库（PostgreSQL：服务 " + _without_password(cluster.env["DATABASE_URL"]) + "，对话记录 "
          + _without_password(cluster.env["TRACKER_STORE_URL"]) + "）和 nginx 配置……", flush=True)
    try:
        cluster.prepare()
    except subprocess.CalledProcessError as error:
        print(f"准备数据库失败（{error.cmd[-1]}）：请确认 PostgreSQL 可以连接。", file=sys.stderr)
        return 1
    return _run_until_interrupted(cluster, "正在启动集群（每个 Rasa 加载模型约需半分钟）……", _cluster_ready_message)


def _without_password(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")).geturl()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["run", "cluster"])
    if parser.parse_args().command == "cluster":
        return _run_cluster()
    return _run_until_interrupted(Stack(), "正在启动服务、动作服务器和 Rasa（首次加载模型约需半分钟）……",
                                  _stack_ready_message)


if __name__ == "__main__":
    sys.exit(main())
