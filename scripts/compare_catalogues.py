"""The small catalogue (hand-kept) beside the large one (with the Guangdong export imported), from
the reports `make eval` and `make eval-large` write: `python scripts/compare_catalogues.py`.

Reads var/results/eval.json and eval_large.json (scripts/evaluate.py), eval_conversations.json and
eval_conversations_large.json (scripts/evaluate_conversations.py) and the training seconds
`make eval-large` records in models/large/train_seconds; a report that is missing is said so.
Standard library only (runs in either environment).
"""

import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = REPO_ROOT / "var" / "results"
LARGE_TRAIN_SECONDS = REPO_ROOT / "models" / "large" / "train_seconds"

NLU_ROWS = [
    ("intent accuracy (holdout.yml)", ("intent_accuracy", "rasa")),
    ("item top-1, /api/assist", ("item_top1", "assist")),
    ("item top-1, search alone", ("item_top1", "search_only")),
    ("out-of-scope rejection", ("oos_rejection", "rasa")),
    ("in-scope wrongly rejected", ("in_scope_wrongly_rejected", "rasa")),
    ("service_item entity of the NLU", ("item_mention_recall", "rasa_pipeline_entity")),
]
# (label, the metric's name in scripts/evaluate_conversations.py)
CONVERSATION_ROWS = [
    ("item named", "item named (service, booking)"),
    ("work order started", "handoff started (complaint..help)"),
    ("not a bare rephrase", "not a bare rephrase (in scope)"),
    ("out of scope declined", "out-of-scope declined"),
    ("referral given", "referral given (outside)"),
    ("confident-wrong share", "confident-wrong share"),
]


def load(name: str) -> dict | None:
    path = RESULTS / name
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def dig(report: dict | None, *keys: str):
    for key in keys:
        if not isinstance(report, dict) or key not in report:
            return None
        report = report[key]
    return report


def cell(value) -> str:
    if isinstance(value, dict):  # evaluate_conversations: {"value": share, "n": count}
        value = value.get("value")
    return f"{value:.3f}" if isinstance(value, (int, float)) else "-"


def main() -> int:
    small, large = load("eval.json"), load("eval_large.json")
    small_talk, large_talk = load("eval_conversations.json"), load("eval_conversations_large.json")
    print(f"{'':38}{'small':>9}{'large':>9}")
    print(f"{'catalogue items':38}{dig(small, 'catalogue_items') or '-':>9}{dig(large, 'catalogue_items') or '-':>9}")
    for label, keys in NLU_ROWS:
        print(f"{label:38}{cell(dig(small, *keys)):>9}{cell(dig(large, *keys)):>9}")
    for set_name in ("real", "old"):
        for label, key in CONVERSATION_ROWS:
            row = f"{set_name} set, {label}"
            figures = [dig(report, "sets", set_name, "figures", key) for report in (small_talk, large_talk)]
            print(f"{row:38}{cell(figures[0]):>9}{cell(figures[1]):>9}")
    seconds = LARGE_TRAIN_SECONDS.read_text().strip() if LARGE_TRAIN_SECONDS.is_file() else "-"
    print(f"{'training seconds (large; small: make bench)':38}{'':>9}{seconds:>9}")
    missing = [n for n, r in (("eval.json", small), ("eval_large.json", large),
                              ("eval_conversations.json", small_talk),
                              ("eval_conversations_large.json", large_talk)) if r is None]
    if missing:
        print(f"not measured yet (make eval / make eval-large): {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
