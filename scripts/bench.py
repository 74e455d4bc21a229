"""`make bench`: speed and memory, each beside a baseline measured in the same run.

- a catalogue turn (NLU, policy, custom action, service) vs a turn answered by a plain
  response (no custom action), through Rasa's REST webhook, at concurrency 1 and 8;
- /api/catalogue/search vs /health (the HTTP floor of the same server);
- Rasa's resident memory (target ≤ 1,000 MB) and start-up time;
- the training time of the model on today's data (target ≤ 5 min) and on the same data grown to
  10,000 NLU examples (target ≤ 10 min), beside a plain TF-IDF + logistic regression fit of
  the same examples (the floor for any classifier of this data).
- the outbox soak (scripts/outbox_soak.py, in the service environment): 1,000 messages with 20 %
  of the deliveries failing, beside the same run without faults.

This machine is shared and noisy: read the ratios and medians, not single timings.
Runs in the Rasa environment; starts its own processes on spare ports.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.bench_load import print_load, print_scaling, run_load  # noqa: E402
from scripts.bench_timing import summary, timed_gets, timed_turns  # noqa: E402
from scripts.cluster_databases import drop_if_exists  # noqa: E402
from scripts.evaluate import load_training  # noqa: E402
from scripts.stack import (  # noqa: E402
    LOCAL_POSTGRESQL,
    RASA_VENV,
    REPO_ROOT,
    SERVICE_VENV,
    Cluster,
    ClusterPorts,
    ClusterSize,
    Ports,
    Stack,
)
from scripts.turn_breakdown import measure_breakdown, print_breakdown  # noqa: E402

# E2E_PORT_OFFSET moves them, as for the end-to-end tests, when two checkouts bench at once.
_OFFSET = int(os.environ.get("E2E_PORT_OFFSET", "0"))
BENCH_PORTS = Ports(service=18200 + _OFFSET, actions=15255 + _OFFSET, rasa=15205 + _OFFSET)
BENCH_CLUSTER_PORTS = ClusterPorts(base=7300 + _OFFSET)
CATALOGUE_TURN = "补办身份证要交多少钱"
# A message of about the same length, answered by a rule with a plain response: the
# difference between the two is the custom action and the service, not the NLU.
# (A complaint no longer is one: it starts the 12345 handoff, a custom action.)
PLAIN_TURN = "我交的执照申请审到哪一步了"
RESULTS = REPO_ROOT / "var" / "results" / "bench.json"
SEARCH_QUERIES = ["换驾照", "提公积金", "开个小店", "身份证丢了补办要带啥", "异地就医备案怎么弄",
                  "孩子上户口", "领结婚证", "低保怎么申请", "二手房过户", "办护照"]
# Matters outside the hall's catalogue, for the referral index (首问负责).
REFERRAL_QUERIES = ["保安员证怎么考", "渔业船员证书到期换证", "出租车司机从业资格证在哪办",
                    "种子生产经营许可证要什么材料", "建筑施工企业安全生产许可证延期"]


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def resident_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


SCALED_EXAMPLES = 10_000
# Words a citizen puts before a question; they make the grown data set's copies distinct.
FILLERS = ["请问", "你好", "麻烦问下", "那个", "哎", "就是想问", "打扰一下", "领导好", "急"]


def training_seconds(data_dir: Path = REPO_ROOT / "data") -> float:
    with tempfile.TemporaryDirectory() as out:
        started = time.monotonic()
        subprocess.run([str(RASA_VENV / "rasa"), "train", "--force", "--out", out, "--data", str(data_dir),
                        "--fixed-model-name", "bench"], cwd=REPO_ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.monotonic() - started


def grown(examples: list[tuple[str, str]], extra: int) -> list[tuple[str, str]]:
    """`extra` new distinct examples: the training examples again, each with a filler and a number."""
    return [
        (f"{FILLERS[(i // len(examples)) % len(FILLERS)]}{i}，{examples[i % len(examples)][0]}",
         examples[i % len(examples)][1])
        for i in range(extra)
    ]


def grown_data(directory: Path, examples: list[tuple[str, str]], size: int) -> Path:
    """A copy of data/ whose NLU examples are grown to `size`."""
    import shutil

    import yaml

    shutil.copytree(REPO_ROOT / "data", directory / "data")
    by_intent: dict[str, list[str]] = {}
    for text, intent in grown(examples, size - len(examples)):
        by_intent.setdefault(intent, []).append(text)
    extra = {"version": "3.1", "nlu": [{"intent": i, "examples": "".join(f"- {t}\n" for t in texts)}
                                        for i, texts in by_intent.items()]}
    (directory / "data" / "nlu" / "bench_grown.yml").write_text(
        yaml.safe_dump(extra, allow_unicode=True), encoding="utf-8")
    return directory / "data"


def baseline_fit_seconds(examples: list[tuple[str, str]]) -> float:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    started = time.monotonic()
    features = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True).fit_transform(
        [text for text, _ in examples])
    LogisticRegression(max_iter=2000, C=10).fit(features, [intent for _, intent in examples])
    return time.monotonic() - started


def training_figures() -> dict:
    _, examples = load_training()
    with tempfile.TemporaryDirectory() as scratch:
        scaled_s = training_seconds(grown_data(Path(scratch), examples, SCALED_EXAMPLES))
    return {
        "examples": len(examples),
        "training_s": round(training_seconds(), 0),
        "baseline_fit_s": round(baseline_fit_seconds(examples), 1),
        "scaled_examples": SCALED_EXAMPLES,
        "scaled_training_s": round(scaled_s, 0),
        "scaled_baseline_fit_s": round(
            baseline_fit_seconds(examples + grown(examples, SCALED_EXAMPLES - len(examples))), 1),
    }


def outbox_soak() -> list[dict]:
    """The outbox soak's runs (no faults, then 20 %), each with its figures."""
    done = subprocess.run([str(SERVICE_VENV / "python"), "scripts/outbox_soak.py", "--json"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=600)
    if not done.stdout.strip():
        raise RuntimeError(f"the outbox soak failed:\n{done.stderr}")
    return json.loads(done.stdout)


def scratch_databases(directory: Path) -> dict[str, str]:
    """A service database of its own, migrated and seeded, and an empty tracker store: the load's
    bookings and work orders stay out of var/service.db."""
    env = {"DATABASE_URL": f"sqlite:///{directory / 'service.db'}",
           "TRACKER_STORE_URL": f"sqlite:///{directory / 'tracker.db'}"}
    for command in ("migrate", "seed"):
        subprocess.run([str(SERVICE_VENV / "python"), "-m", "service.cli", command], cwd=REPO_ROOT,
                       env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL)
    return env


# Rasa's start-up is timed this many times (the median is reported): it varies with the machine's load.
STARTUPS = 3


def startup_phases() -> dict:
    """scripts/rasa_startup.py in a fresh interpreter: imports, unpacking, components, warm-up."""
    done = subprocess.run([str(RASA_VENV / "python"), "scripts/rasa_startup.py"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=600)
    lines = done.stdout.strip().splitlines()
    if not lines:
        raise RuntimeError(f"scripts/rasa_startup.py failed:\n{done.stderr[-2000:]}")
    return json.loads(lines[-1])


async def measure(turns: int, scratch: Path, load_seconds: int) -> dict:
    stack = Stack(ports=BENCH_PORTS, log_dir=REPO_ROOT / "var" / "logs" / "bench",
                  extra_env=scratch_databases(scratch))
    stack.start(("service", "actions"))
    rasa = stack.processes["rasa"]
    startups = []
    for attempt in range(STARTUPS):
        if attempt:
            rasa.stop()
        started = time.monotonic()
        rasa.start()
        stack.wait_healthy(("rasa",), 300)
        startups.append(time.monotonic() - started)
    startup_s = statistics.median(startups)
    try:
        webhook = f"http://127.0.0.1:{BENCH_PORTS.rasa}/webhooks/rest/webhook"
        service = f"http://127.0.0.1:{BENCH_PORTS.service}"
        await timed_turns(webhook, CATALOGUE_TURN, 16, 1)  # warm-up: caches, connections
        await timed_turns(webhook, PLAIN_TURN, 16, 1)
        result: dict = {"turns_per_scenario": turns, "rasa_startup_s": round(startup_s, 1),
                        "rasa_startups_s": [round(s, 1) for s in startups], "startup_phases": startup_phases()}
        for concurrency in (1, 8):
            # Interleave the two scenarios so machine noise hits both alike.
            catalogue, plain, catalogue_wall, plain_wall = [], [], [], []
            for _ in range(4):
                catalogue += await timed_turns(webhook, CATALOGUE_TURN, turns // 4, concurrency, catalogue_wall)
                plain += await timed_turns(webhook, PLAIN_TURN, turns // 4, concurrency, plain_wall)
            cat, base = summary(catalogue), summary(plain)
            cat["turns_per_s"] = round(len(catalogue) / sum(catalogue_wall), 1)
            base["turns_per_s"] = round(len(plain) / sum(plain_wall), 1)
            result[f"concurrency_{concurrency}"] = {
                "catalogue_turn": cat,
                "no_action_turn": base,
                "p95_ratio": round(cat["p95_ms"] / base["p95_ms"], 2),
                "p50_ratio": round(cat["p50_ms"] / base["p50_ms"], 2),
                "throughput_ratio": round(cat["turns_per_s"] / base["turns_per_s"], 2),
            }
        one_at_a_time = result["concurrency_1"]
        result["breakdown"] = await measure_breakdown(
            f"http://127.0.0.1:{BENCH_PORTS.rasa}", f"http://127.0.0.1:{BENCH_PORTS.actions}", service,
            stack.rasa_api_params, CATALOGUE_TURN, PLAIN_TURN,
            {"catalogue": one_at_a_time["catalogue_turn"]["p50_ms"], "plain": one_at_a_time["no_action_turn"]["p50_ms"]})
        search = summary(await timed_gets(f"{service}/api/catalogue/search",
                                          [{"q": q} for q in SEARCH_QUERIES], 30))
        health = summary(await timed_gets(f"{service}/health", [{}], 300))
        result["search"] = {"search": search, "health_baseline": health,
                            "p95_ratio": round(search["p95_ms"] / health["p95_ms"], 2)}
        # The first referral builds the reference index (about 2,800 guides): timed apart.
        first_referral = await timed_gets(f"{service}/api/catalogue/referral", [{"q": REFERRAL_QUERIES[0]}], 1)
        referral = summary(await timed_gets(f"{service}/api/catalogue/referral",
                                            [{"q": q} for q in REFERRAL_QUERIES], 40))
        result["referral"] = {"first_call_ms": round(first_referral[0] * 1000, 1), "referral": referral,
                              "p95_ratio": round(referral["p95_ms"] / health["p95_ms"], 2)}
        if load_seconds:
            pids = {name: process.popen.pid for name, process in stack.processes.items()}
            before = {name: cpu_seconds(pid) for name, pid in pids.items()}
            result["load"] = {"one": run_load(f"http://127.0.0.1:{BENCH_PORTS.rasa}", seconds=load_seconds)}
            # Where the CPU went: why a second instance on this 2-core machine cannot double the rate.
            result["load"]["one"]["cpu_share"] = {
                name: round((cpu_seconds(pid) - before[name]) / load_seconds, 2) for name, pid in pids.items()}
            cluster_url = os.environ.get("BENCH_CLUSTER_URL")
            if cluster_url:
                result["load"]["cluster"] = run_load(cluster_url.rstrip("/"), seconds=load_seconds)
                result["load"]["cluster_ratio"] = round(
                    result["load"]["cluster"]["conversations_per_s"] / result["load"]["one"]["conversations_per_s"], 2)
        result["rasa_rss_mb"] = round(resident_memory_mb(rasa.popen.pid), 0)
        result["actions_rss_mb"] = round(resident_memory_mb(stack.processes["actions"].popen.pid), 0)
        result["service_rss_mb"] = round(resident_memory_mb(stack.processes["service"].popen.pid), 0)
    finally:
        stack.stop()
    return result


def cluster_load(scratch: Path, instances: int, load_seconds: int) -> dict:
    """The load on `make run-cluster`'s topology (nginx, PostgreSQL tracker store, Redis lock store)
    with `instances` Rasa servers, action servers and service processes, on scratch databases."""
    scratch_name = uuid.uuid4().hex[:8]
    env = {
        "DATABASE_URL": f"{LOCAL_POSTGRESQL.replace('postgresql', 'postgresql+psycopg', 1)}/daoban_bench_{scratch_name}",
        "TRACKER_STORE_URL": f"{LOCAL_POSTGRESQL}/daoban_bench_tracker_{scratch_name}",
        "REDIS_URL": "redis://127.0.0.1:6379/1",
        "REDIS_KEY_PREFIX": f"bench{scratch_name}",
    }
    size = ClusterSize(rasa=instances, actions=instances, service=instances)
    cluster = Cluster(size=size, ports=BENCH_CLUSTER_PORTS, work_dir=scratch / f"cluster-{instances}", extra_env=env)
    try:
        cluster.prepare()
        started = time.monotonic()
        cluster.start()
        start_up_s = round(time.monotonic() - started, 1)
        pids = {name: process.popen.pid for name, process in cluster.processes.items()}
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        load = run_load(f"http://127.0.0.1:{cluster.ports.public}", seconds=load_seconds)
        load["cpu_share"] = {name: round((cpu_seconds(pid) - before[name]) / load_seconds, 2)
                             for name, pid in pids.items()}
        load["start_up_s"] = start_up_s
        return load
    finally:
        cluster.stop()
        for url in (env["DATABASE_URL"], env["TRACKER_STORE_URL"]):
            drop_if_exists(url)


def cluster_scaling(scratch: Path, load_seconds: int) -> dict:
    """Conversations per second with 1 and with 2 of each process, the same load, one after the other."""
    try:
        one = cluster_load(scratch, 1, load_seconds)
        two = cluster_load(scratch, 2, load_seconds)
    except (OSError, RuntimeError, subprocess.CalledProcessError) as error:  # no nginx, PostgreSQL or Redis here
        return {"skipped": f"the cluster could not run: {error}"}
    return {"one": one, "two": two,
            "ratio": round(two["conversations_per_s"] / one["conversations_per_s"], 2) if one["conversations_per_s"] else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=240, help="turns per scenario and concurrency")
    parser.add_argument("--skip-training", action="store_true", help="do not time a full training")
    parser.add_argument("--skip-outbox", action="store_true", help="do not run the outbox soak")
    parser.add_argument("--skip-scaling", action="store_true",
                        help="do not run the same load on the cluster with 1 and with 2 of each process")
    parser.add_argument("--load-seconds", type=int, default=60,
                        help="seconds of whole conversations under load per target (0: none); BENCH_CLUSTER_URL "
                             "adds a run against a cluster's Rasa URL and the ratio")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        result = asyncio.run(measure(args.turns, Path(scratch), args.load_seconds))
        if args.load_seconds and not args.skip_scaling:
            result["scaling"] = cluster_scaling(Path(scratch), args.load_seconds)
    if not args.skip_outbox:
        result["outbox"] = outbox_soak()
    if not args.skip_training:
        result["training"] = training_figures()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print_report(result)
    return 0


def print_report(result: dict) -> None:
    print(f"\n turns per scenario: {result['turns_per_scenario']} (catalogue: {CATALOGUE_TURN!r}; "
          f"no action: {PLAIN_TURN!r})")
    print(f" {'':16} {'catalogue p50/p95 ms':>22} {'no-action p50/p95 ms':>22} {'p95 ratio':>10}")
    for concurrency in (1, 8):
        row = result[f"concurrency_{concurrency}"]
        cat, base = row["catalogue_turn"], row["no_action_turn"]
        print(f" concurrency {concurrency:<4} {cat['p50_ms']:>10} / {cat['p95_ms']:<9} "
              f"{base['p50_ms']:>10} / {base['p95_ms']:<9} {row['p95_ratio']:>10}  (target <= 1.2)")
        print(f"   turns per second: catalogue {cat['turns_per_s']}, no action {base['turns_per_s']}, "
              f"ratio {row['throughput_ratio']} (target >= 0.85 at concurrency 8)")
    print_breakdown(result.get("breakdown"))
    print_load(result.get("load"))
    print_scaling(result.get("scaling"))
    search = result["search"]
    print(f" search p50/p95 ms: {search['search']['p50_ms']} / {search['search']['p95_ms']} "
          f"(health {search['health_baseline']['p50_ms']} / {search['health_baseline']['p95_ms']}; "
          f"target p95 < 20)")
    referral = result["referral"]
    print(f" referral p50/p95 ms: {referral['referral']['p50_ms']} / {referral['referral']['p95_ms']} "
          f"(p95 ratio to health {referral['p95_ratio']}); first call, building the index: "
          f"{referral['first_call_ms']} ms")
    print(f" resident memory MB: rasa {result['rasa_rss_mb']} (target <= 1000), actions "
          f"{result['actions_rss_mb']}, service {result['service_rss_mb']}")
    phases = result["startup_phases"]
    print(f" rasa start-up {result['rasa_startup_s']} s, median of {result['rasa_startups_s']} (target <= 15); in a "
          f"fresh interpreter: import TensorFlow {phases['import_tensorflow_s']} s, rest of Rasa "
          f"{phases['import_rasa_s']} s, unpack the model {phases['unpack_model_s']} s, load the components "
          f"{phases['load_components_s']} s (slowest {phases['slowest_components_s']}), first message "
          f"{phases['first_parse_s']} s, second {phases['second_parse_s']} s")
    for run in result.get("outbox", []):
        print(f" outbox, {run['fault_share']:.0%} of deliveries failing: {run['delivered']} of {run['messages']} "
              f"delivered, {run['parked']} parked, {run['duplicated']} twice, {run['lost']} lost, "
              f"{run['streams_out_of_order']} streams out of order (all three must be 0); delay p50/p95 "
              f"{run['delay_p50_ms']} / {run['delay_p95_ms']} ms")
    if "training" in result:
        t = result["training"]
        print(f" training: {t['examples']} examples {t['training_s']} s (target <= 300; TF-IDF+LR fit "
              f"{t['baseline_fit_s']} s); {t['scaled_examples']} examples {t['scaled_training_s']} s "
              f"(target <= 600; TF-IDF+LR fit {t['scaled_baseline_fit_s']} s)")


if __name__ == "__main__":
    sys.exit(main())
