"""Runs the service under uvicorn on a spare port, for tests that need a real server."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[1]


def seeded_database(directory: Path, add_rows: Callable | None = None) -> str:
    """A SQLite database in `directory`, migrated and seeded with the real catalogue and halls, then
    `add_rows(session)` if given (committed); its URL, for `running_service`."""
    from service.core.db import get_session_factory
    from service.migrate import upgrade_database
    from service.seeding import seed_database

    url = f"sqlite:///{directory / 'service.db'}"
    upgrade_database(database_url=url)
    with get_session_factory(url)() as session:
        seed_database(seed_dir=REPO_ROOT / "service" / "seed", session=session)
        if add_rows is not None:
            add_rows(session)
            session.commit()
    return url


def spare_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServiceProcess:
    """`uvicorn service.main:app` against `database_url`, in a process group of its own so that a
    test can kill it the hard way; `url` answers /health once the constructor returns."""

    def __init__(self, *, database_url: str, log_path: Path, env: dict[str, str] | None = None) -> None:
        port = spare_port()
        self.url = f"http://127.0.0.1:{port}"
        self._log_path = log_path
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "service.main:app", "--host", "127.0.0.1", "--port", str(port)],
                cwd=REPO_ROOT,
                env={**os.environ, "DATABASE_URL": database_url, **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_until_healthy(within_s=30)
        except BaseException:
            self.stop()
            raise

    def _wait_until_healthy(self, *, within_s: float) -> None:
        deadline = time.monotonic() + within_s
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"service exited early:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"service did not start:\n{self.log()}")
            time.sleep(0.2)

    def log(self) -> str:
        return self._log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the whole process group: no shutdown, no cleanup, as `kill -9` does."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """A graceful stop (SIGTERM: uvicorn runs the app's shutdown), a kill after 10 s."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


@contextmanager
def running_service(*, database_url: str, log_path: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start `uvicorn service.main:app` against `database_url`; yields its base URL."""
    service = ServiceProcess(database_url=database_url, log_path=log_path, env=env)
    try:
        yield service.url
    finally:
        service.stop()
