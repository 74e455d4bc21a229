"""Whole conversations under load (scripts/locustfile.py, run headless by locust), for `make bench`.

Locust is in the service environment (its dependencies fit there, not beside Rasa's old pins);
`LOCUST` names another locust executable.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import tempfile
from pathlib import Path

from scripts.stack import REPO_ROOT, SERVICE_VENV

LOCUSTFILE = REPO_ROOT / "scripts" / "locustfile.py"
# Enough citizens at once to keep one Rasa instance busy on this machine (make bench shows the cores used).
USERS = 16
SECONDS = 60


def _percentile(response_times: dict[int, int], share: float) -> float:
    """From locust's histogram: {rounded milliseconds: count}."""
    ordered = sorted(response_times.items())
    wanted = share * sum(count for _, count in ordered)
    seen = 0
    for milliseconds, count in ordered:
        seen += count
        if seen >= wanted:
            return float(milliseconds)
    return float(ordered[-1][0]) if ordered else 0.0


def run_load(host: str, users: int = USERS, seconds: int = SECONDS) -> dict:
    """Conversations per second and the turns' p50/p95 against the Rasa server (or cluster) at `host`."""
    locust = os.environ.get("LOCUST") or str(SERVICE_VENV / "locust")
    with tempfile.TemporaryDirectory() as scratch:
        stats_file = Path(scratch) / "stats"  # locust adds .json
        # Exit code 1 only says that some turns failed: they are counted below.
        done = subprocess.run([locust, "-f", str(LOCUSTFILE), "--headless", "--host", host, "-u", str(users),
                               "-r", str(users), "-t", f"{seconds}s", "--only-summary", "--loglevel", "WARNING",
                               "--json-file", str(stats_file), "--csv", str(stats_file)],
                              cwd=REPO_ROOT, check=False, capture_output=True, text=True, timeout=seconds + 120)
        written = stats_file.with_suffix(".json")
        if not written.exists():
            raise RuntimeError(f"locust wrote no statistics (exit {done.returncode}):\n{done.stderr[-2000:]}")
        entries = json.loads(written.read_text(encoding="utf-8"))
        # Which step failed and what the reply was, with how often.
        with open(f"{stats_file}_failures.csv", encoding="utf-8", newline="") as failures_csv:
            errors = [f"{row['Occurrences']}x {row['Error']}" for row in csv.DictReader(failures_csv)]
    turns: dict[int, int] = {}
    turn_count = turn_failures = 0
    conversations: dict[str, dict[str, int]] = {}
    for entry in entries:
        if entry["method"] == "conversation":
            conversations[entry["name"]] = {"done": entry["num_requests"] - entry["num_failures"],
                                            "failed": entry["num_failures"]}
            continue
        turn_count += entry["num_requests"]
        turn_failures += entry["num_failures"]
        for milliseconds, count in entry["response_times"].items():
            turns[int(milliseconds)] = turns.get(int(milliseconds), 0) + count
    done = sum(c["done"] for c in conversations.values())
    return {
        "host": host, "users": users, "seconds": seconds,
        "conversations_per_s": round(done / seconds, 2),
        "conversations": conversations,
        "turns": turn_count, "turn_failures": turn_failures,
        "turns_per_s": round(turn_count / seconds, 1),
        "turn_p50_ms": _percentile(turns, 0.5), "turn_p95_ms": _percentile(turns, 0.95),
        "errors": errors,
    }


def print_load(load: dict | None) -> None:
    if not load:
        return
    for label, run in (("1 instance", load["one"]), ("cluster", load.get("cluster"))):
        if run is not None:
            _print_run(label, run)
    if "cluster_ratio" in load:
        print(f"   cluster / 1 instance, conversations per second: {load['cluster_ratio']}")


def print_scaling(scaling: dict | None) -> None:
    """The same load on the cluster's topology with 1 and with 2 of each process (bench.cluster_scaling)."""
    if not scaling:
        return
    if "skipped" in scaling:
        print(f" load on the cluster: skipped ({scaling['skipped']})")
        return
    for label, run in (("cluster, 1 of each", scaling["one"]), ("cluster, 2 of each", scaling["two"])):
        _print_run(label, run)
    print(f"   2 of each / 1 of each, conversations per second: {scaling['ratio']} "
          "(one machine of 2 cores: the second Rasa server shares the cores the first one used)")


def _print_run(label: str, run: dict) -> None:
    kinds = ", ".join(f"{kind} {c['done']}" + (f" ({c['failed']} failed)" if c["failed"] else "")
                      for kind, c in sorted(run["conversations"].items()))
    print(f" load, {label} ({run['users']} citizens, {run['seconds']} s, {run['host']}): "
          f"{run['conversations_per_s']} conversations/s ({kinds}); {run['turns_per_s']} turns/s, "
          f"turn p50/p95 {run['turn_p50_ms']:.0f} / {run['turn_p95_ms']:.0f} ms, {run['turn_failures']} failed")
    if "cpu_share" in run:
        print("   cores busy during it: " + ", ".join(f"{name} {share}" for name, share in run["cpu_share"].items())
              + " (of 2)")
    for error in run["errors"][:5]:
        print(f"   {error[:300]}")
