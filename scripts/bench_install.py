"""How long a fresh clone takes to build its two environments: pip against uv, same lock files.

Each environment is built from nothing in a temporary directory (never `.venvs/`, which a running
stack may use), with an empty download cache, so the figure is a fresh machine's: downloads,
wheel builds (jieba has no wheel) and unpacking. `make bench-install` runs it; it downloads about
1 GB per installer and is not part of `make bench`. It checks that both give the same versions.

    python scripts/bench_install.py [--installer pip|uv ...] [--env rasa|svc ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
LOCKS = {"rasa": REPO_ROOT / "requirements" / "rasa.lock", "svc": REPO_ROOT / "requirements" / "service.lock"}
PYTHON_VERSION = {"rasa": "3.10", "svc": "3.11"}
UV_PIN = (REPO_ROOT / "requirements" / "uv.lock").read_text(encoding="utf-8").split()[0]


def python_for(env: str) -> str:
    """The interpreter the Makefile takes: pyenv's, else pythonX.Y on PATH."""
    version = PYTHON_VERSION[env]
    done = subprocess.run(["pyenv", "prefix", version], capture_output=True, text=True) \
        if shutil.which("pyenv") else None
    if done is not None and done.returncode == 0 and done.stdout.strip():
        return str(Path(done.stdout.split()[0]) / "bin" / "python")
    found = shutil.which(f"python{version}")
    if not found:
        raise SystemExit(f"Python {version} not found")
    return found


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def build(installer: str, env_name: str, scratch: Path) -> dict:
    venv = scratch / f"{installer}-{env_name}"
    cache = scratch / f"cache-{installer}-{env_name}"
    env = {**os.environ, "UV_CACHE_DIR": str(cache), "PIP_NO_CACHE_DIR": "1"}
    seconds = timed([python_for(env_name), "-m", "venv", str(venv)], env)
    if installer == "pip":
        seconds += timed([str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                          "-r", str(LOCKS[env_name])], env)
    else:
        # The Makefile's bootstrap: uv itself, pinned, from PyPI, then the lock file with it.
        tool = scratch / "uv-tool"
        if not tool.exists():
            seconds += timed([python_for("svc"), "-m", "venv", str(tool)], env)
            seconds += timed([str(tool / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                              "-r", str(REPO_ROOT / "requirements" / "uv.lock")], env)
        # --compile-bytecode as the Makefile does, and as pip does by default: the same work done.
        seconds += timed([str(tool / "bin" / "uv"), "pip", "install", "--quiet", "--compile-bytecode", "--python",
                          str(venv / "bin" / "python"), "-r", str(LOCKS[env_name])], env)
    frozen = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "freeze"],
                            capture_output=True, text=True, check=True).stdout
    return {"installer": installer, "env": env_name, "seconds": round(seconds, 1),
            "packages": sorted(line.lower() for line in frozen.splitlines() if "==" in line)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--installer", action="append", choices=["pip", "uv"])
    parser.add_argument("--env", action="append", choices=["rasa", "svc"])
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-install-") as scratch:
        for env_name in args.env or ["rasa", "svc"]:
            for installer in args.installer or ["pip", "uv"]:
                result = build(installer, env_name, Path(scratch))
                # Both installers must give the same environment: the same lock, the same versions.
                same = [r for r in results if r["env"] == env_name]
                agrees = "" if not same else (", the same versions as " + same[0]["installer"]
                                              if same[0]["packages"] == result["packages"] else ", DIFFERENT versions")
                print(f" {env_name:5} {installer:4} {result['seconds']:7.1f} s  ({len(result['packages'])} packages"
                      f"{agrees})", flush=True)
                results.append(result)
    out = REPO_ROOT / "var" / "results" / "bench_install.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
