"""Work-order classifier evaluation: accuracy on the held-out set (tests/triage/holdout.yaml)
beside the keyword baseline, both built from the same training data in the same run.

Reports first-level topic (l1), second-level topic (l1 and l2 both right) and type accuracy,
plus 5-fold cross-validated l1 accuracy on the training set (a second estimate that never
touches the held-out set). Writes var/results/triage.json.

Runs in the service environment: `.venvs/svc/bin/python scripts/evaluate_triage.py`.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from sklearn.model_selection import StratifiedKFold

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from service.triage.classifier import (  # noqa: E402
    TRAIN_PATH,
    KeywordBaseline,
    Message,
    TicketClassifier,
    load_messages,
    load_taxonomy,
)

HOLDOUT_PATH = REPO_ROOT / "tests" / "triage" / "holdout.yaml"
RESULTS_PATH = REPO_ROOT / "var" / "results" / "triage.json"
TARGET_L1 = 0.85


def accuracies(classifier, messages: list[Message]) -> dict[str, float]:
    predictions = [classifier.classify(content=m.content, title=m.title) for m in messages]
    n = len(messages)
    return {
        "l1": round(sum(p.l1 == m.l1 for p, m in zip(predictions, messages)) / n, 3),
        "l2": round(sum(p.l1 == m.l1 and p.l2 == m.l2 for p, m in zip(predictions, messages)) / n, 3),
        "type": round(sum(p.type == m.type for p, m in zip(predictions, messages)) / n, 3),
    }


def cross_validated_l1(train: list[Message], taxonomy, folds: int = 5) -> float:
    labels = [m.l1 for m in train]
    right = 0
    for fit_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=0).split(train, labels):
        model = TicketClassifier([train[i] for i in fit_idx], taxonomy)
        right += sum(model.classify(content=train[i].content, title=train[i].title).l1 == train[i].l1 for i in test_idx)
    return round(right / len(train), 3)


def main() -> int:
    train, holdout, taxonomy = load_messages(TRAIN_PATH), load_messages(HOLDOUT_PATH), load_taxonomy()
    started = time.perf_counter()
    classifier = TicketClassifier(train, taxonomy)
    train_seconds = round(time.perf_counter() - started, 2)
    results = {
        "train_messages": len(train),
        "holdout_messages": len(holdout),
        "first_level_topics": len({m.l1 for m in train}),
        "train_seconds": train_seconds,
        "target_l1": TARGET_L1,
        "classifier": accuracies(classifier, holdout),
        "baseline": accuracies(KeywordBaseline(taxonomy, train), holdout),
        "classifier_cv5_l1_on_train": cross_validated_l1(train, taxonomy),
    }
    results["meets_target"] = results["classifier"]["l1"] >= TARGET_L1

    print(f"held-out set: {len(holdout)} messages; training: {len(train)} messages, "
          f"{results['first_level_topics']} first-level topics, trained in {train_seconds}s")
    print(f"{'metric':<10}{'classifier':>12}{'baseline':>10}{'target':>8}")
    for metric in ("l1", "l2", "type"):
        target = f"{TARGET_L1:.2f}" if metric == "l1" else "-"
        print(f"{metric:<10}{results['classifier'][metric]:>12.3f}{results['baseline'][metric]:>10.3f}{target:>8}")
    print(f"l1, 5-fold cross-validation on the training set: {results['classifier_cv5_l1_on_train']:.3f}")
    print("target met" if results["meets_target"] else "target NOT met")
    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written to {RESULTS_PATH.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
