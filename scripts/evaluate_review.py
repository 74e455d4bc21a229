"""`make eval` (the improvement loop's part): intent and item accuracy on the reviewed messages
held back from training (tests/nlu/review_holdout.yml, written by `make review-data`).

With `--before OLD_MODEL` the same messages are also read by the model trained before the review
data was added, so the two figures side by side show what the loop bought. Intent: Rasa's
/model/parse. Item: the top item of the service's /api/assist against the reviewer's item (messages
marked 目录缺项 have none and count only towards the intent). The service reads the catalogue as the
database holds it now: approved aliases count for both models.

Runs in the Rasa environment; starts the service and Rasa on spare ports, one model at a time.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import requests
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.stack import MODEL_PATH, REPO_ROOT, Ports, Stack  # noqa: E402

HOLDOUT = REPO_ROOT / "tests" / "nlu" / "review_holdout.yml"
PORTS = Ports(service=18130, actions=15185, rasa=15135)
RESULTS = REPO_ROOT / "var" / "results" / "eval_review.json"


def load_holdout(path: Path = HOLDOUT) -> list[dict]:
    if not path.is_file():
        return []
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("examples") or []


def accuracy(examples: list[dict], intents: list[str], items: list[str | None]) -> dict:
    """Intent accuracy on every example, item accuracy on those the reviewer gave an item."""
    with_item = [i for i, e in enumerate(examples) if e.get("item_code")]
    return {
        "messages": len(examples),
        "intent_accuracy": round(sum(intents[i] == e["intent"] for i, e in enumerate(examples)) / len(examples), 3),
        "with_item": len(with_item),
        "item_accuracy": (round(sum(items[i] == examples[i]["item_code"] for i in with_item) / len(with_item), 3)
                          if with_item else None),
    }


def read_with(model: Path, texts: list[str]) -> tuple[list[str], list[str | None]]:
    """Each text's intent (Rasa) and top item (/api/assist) with `model` loaded."""
    stack = Stack(ports=PORTS, log_dir=REPO_ROOT / "var" / "logs" / "eval_review", model_path=model)
    print(f"启动服务与 Rasa（模型 {model.name}）……", flush=True)
    stack.start(("service", "rasa"))
    try:
        rasa = f"http://127.0.0.1:{PORTS.rasa}"
        service = f"http://127.0.0.1:{PORTS.service}"
        intents = [requests.post(f"{rasa}/model/parse", params=stack.rasa_api_params, json={"text": t},
                                 timeout=30).json()["intent"]["name"] for t in texts]
        assisted = [requests.post(f"{service}/api/assist", json={"text": t}, timeout=30).json() for t in texts]
    finally:
        stack.stop()
    return intents, [(body.get("items") or [{}])[0].get("code") for body in assisted]


def format_figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=MODEL_PATH, help="the model now (after retraining)")
    parser.add_argument("--before", type=Path, help="the model trained before the review data was added")
    parser.add_argument("--holdout", type=Path, default=HOLDOUT)
    args = parser.parse_args(argv)
    examples = load_holdout(args.holdout)
    if not examples:
        print(f"复核留出集：还没有复核过的留出消息（{args.holdout} 不存在或为空）。"
              "先在 /review 标注，再运行 make review-data；本项不计分。")
        return 0
    texts = [e["text"] for e in examples]
    models = {"before": args.before, "now": args.model} if args.before else {"now": args.model}
    report = {name: {"model": str(path), **accuracy(examples, *read_with(path, texts))} for name, path in models.items()}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\n复核留出集（{len(examples)} 条，其中 {report['now']['with_item']} 条有事项）")
    for name, figures in report.items():
        print(f"  {'复核前的模型' if name == 'before' else '当前模型'}：意图准确率 {format_figure(figures['intent_accuracy'])}，"
              f"事项准确率 {format_figure(figures['item_accuracy'])}（{Path(figures['model']).name}）")
    print(f"写入 {RESULTS.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
