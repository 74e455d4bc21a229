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
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.evaluate import load_training  # noqa: E402
from scripts.stack import RASA_VENV, REPO_ROOT, SERVICE_VENV, Ports, Stack  # noqa: E402

BENCH_PORTS = Ports(service=18200, actions=15255, rasa=15205)
CATALOGUE_TURN = "补办身份证要交多少钱"
# A message of about the same length, answered by a rule with a plain response: the
# difference between the two is the custom action and the service, not the NLU.
# (A complaint no longer is one: it starts the 12345 handoff, a custom action.)
PLAIN_TURN = "我交的执照申请审到哪一步了"
TURNS_PER_SENDER = 10
RESULTS = REPO_ROOT / "var" / "results" / "bench.json"
SEARCH_QUERIES = ["换驾照", "提公积金", "开个小店", "身份证丢了补办要带啥", "异地就医备案怎么弄",
                  "孩子上户口", "领结婚证", "低保怎么申请", "二手房过户", "办护照"]
# Matters outside the hall's catalogue, for the referral index (首问负责).
REFERRAL_QUERIES = ["保安员证怎么考", "渔业船员证书到期换证", "出租车司机从业资格证在哪办",
                    "种子生产经营许可证要什么材料", "建筑施工企业安全生产许可证延期"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(latencies_s: list[float]) -> dict:
    ms = [value * 1000 for value in latencies_s]
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 1), "p95_ms": round(percentile(ms, 0.95), 1)}


async def timed_turns(url: str, message: str, turns: int, concurrency: int) -> list[float]:
    latencies: list[float] = []
    per_worker = turns // concurrency

    async def worker(session: aiohttp.ClientSession) -> None:
        sender = ""
        for turn in range(per_worker):
            # A fresh conversation every few turns, as real citizens have short ones.
            if turn % TURNS_PER_SENDER == 0:
                sender = f"bench-{uuid.uuid4().hex[:10]}"
            started = time.perf_counter()
            async with session.post(url, json={"sender": sender, "message": message}) as response:
                replies = await response.json()
            latencies.append(time.perf_counter() - started)
            if response.status != 200 or not replies:
                raise RuntimeError(f"bad reply to {message!r}: {response.status} {replies}")

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return latencies


async def timed_gets(url: str, params_list: list[dict], repeats: int) -> list[float]:
    latencies = []
    async with aiohttp.ClientSession() as session:
        for _ in range(repeats):
            for params in params_list:
                started = time.perf_counter()
                async with session.get(url, params=params) as response:
                    await response.read()
                latencies.append(time.perf_counter() - started)
    return latencies


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


async def measure(turns: int) -> dict:
    stack = Stack(ports=BENCH_PORTS, log_dir=REPO_ROOT / "var" / "logs" / "bench")
    stack.start(("service", "actions"))
    rasa = stack.processes["rasa"]
    started = time.monotonic()
    rasa.start()
    stack.wait_healthy(("rasa",), 300)
    startup_s = time.monotonic() - started
    try:
        webhook = f"http://127.0.0.1:{BENCH_PORTS.rasa}/webhooks/rest/webhook"
        service = f"http://127.0.0.1:{BENCH_PORTS.service}"
        await timed_turns(webhook, CATALOGUE_TURN, 16, 1)  # warm-up: caches, connections
        await timed_turns(webhook, PLAIN_TURN, 16, 1)
        result: dict = {"turns_per_scenario": turns, "rasa_startup_s": round(startup_s, 1)}
        for concurrency in (1, 8):
            # Interleave the two scenarios so machine noise hits both alike.
            catalogue, plain = [], []
            for _ in range(4):
                catalogue += await timed_turns(webhook, CATALOGUE_TURN, turns // 4, concurrency)
                plain += await timed_turns(webhook, PLAIN_TURN, turns // 4, concurrency)
            cat, base = summary(catalogue), summary(plain)
            result[f"concurrency_{concurrency}"] = {
                "catalogue_turn": cat,
                "no_action_turn": base,
                "p95_ratio": round(cat["p95_ms"] / base["p95_ms"], 2),
                "p50_ratio": round(cat["p50_ms"] / base["p50_ms"], 2),
            }
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
        result["rasa_rss_mb"] = round(resident_memory_mb(rasa.popen.pid), 0)
        result["actions_rss_mb"] = round(resident_memory_mb(stack.processes["actions"].popen.pid), 0)
        result["service_rss_mb"] = round(resident_memory_mb(stack.processes["service"].popen.pid), 0)
    finally:
        stack.stop()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=240, help="turns per scenario and concurrency")
    parser.add_argument("--skip-training", action="store_true", help="do not time a full training")
    args = parser.parse_args()
    result = asyncio.run(measure(args.turns))
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
              f"{base['p50_ms']:>10} / {base['p95_ms']:<9} {row['p95_ratio']:>10}  (target <= 1.5)")
    search = result["search"]
    print(f" search p50/p95 ms: {search['search']['p50_ms']} / {search['search']['p95_ms']} "
          f"(health {search['health_baseline']['p50_ms']} / {search['health_baseline']['p95_ms']}; "
          f"target p95 < 20)")
    referral = result["referral"]
    print(f" referral p50/p95 ms: {referral['referral']['p50_ms']} / {referral['referral']['p95_ms']} "
          f"(p95 ratio to health {referral['p95_ratio']}); first call, building the index: "
          f"{referral['first_call_ms']} ms")
    print(f" resident memory MB: rasa {result['rasa_rss_mb']} (target <= 1000), actions "
          f"{result['actions_rss_mb']}, service {result['service_rss_mb']}; rasa start-up {result['rasa_startup_s']} s")
    for run in result["outbox"]:
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
