"""Calibrate when a message the NLU reads as out of scope is offered catalogue items instead of
being declined (actions/fallback.py, OUT_OF_SCOPE_ITEM_SCORE), on development data only.

The classifier reads some questions about the catalogue as out of scope ("你们这个公积金怎么取出来
付房租啊": chit-chat in the training data starts with 你们这个); declining them ("超出了我的服务范围")
sends the citizen away from a service the hall holds. Offering items to real chit-chat costs a
tap on "都不是". For each floor of a grid, among the messages the NLU reads as out of scope:
- questions (tests/nlu/dev_real_style.yml service and booking, tests/nlu/dev_short.yml): offered
  (the top hit reaches the floor) and offered with the right item among the choices;
- the development sets' out-of-scope messages (with tests/nlu/dev_short_out_of_scope.yml, short
  chit-chat typed into the chat box) and outside messages, and, with --corpora, every CrossWOZ
  and KdConv user turn (data/SOURCES.md) not among the training examples: offered.
The rule in place (offer only when the search is confident or contested) is shown beside them.

Talks to a running stack (`make run`): Rasa's /model/parse and the service's search.
`.venvs/svc/bin/python scripts/calibrate_out_of_scope.py [--corpora DIR]`; DIR holds
crosswoz_user_utterances.jsonl and kdconv_utterances.tsv.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DEV_SET = REPO_ROOT / "tests" / "nlu" / "dev_real_style.yml"
DEV_SHORT = REPO_ROOT / "tests" / "nlu" / "dev_short.yml"
DEV_SHORT_OUT_OF_SCOPE = REPO_ROOT / "tests" / "nlu" / "dev_short_out_of_scope.yml"
TRAINING_CORPUS_SAMPLE = REPO_ROOT / "data" / "nlu" / "real_style" / "out_of_scope_corpora.yml"
RASA_TOKEN = REPO_ROOT / "var" / "rasa_token"
SHOWN_FLOOR, SHOWN = 0.65, 15  # corpus turns offered items only by a floor, for reading
FLOORS = [round(0.4 + 0.05 * i, 2) for i in range(9)]  # 0.40 .. 0.80
CHOICES_OFFERED = 3  # actions/catalogue.py
IN_PLACE_FLOOR = 0.5  # actions/fallback.py, OUT_OF_SCOPE_ITEM_SCORE


@dataclass(frozen=True)
class Reading:
    text: str
    kind: str  # service | booking | out_of_scope | outside | corpus
    gold: str | None
    intent: str | None
    scores: tuple[float, ...]
    names: tuple[str, ...]
    sure: bool  # confident or contested: offered by the rule in place


def dev_messages() -> list[tuple[str, str, str | None]]:
    examples = yaml.safe_load(DEV_SET.read_text(encoding="utf-8"))["examples"]
    examples += [dict(e, kind="service") for e in yaml.safe_load(DEV_SHORT.read_text(encoding="utf-8"))["examples"]]
    examples += yaml.safe_load(DEV_SHORT_OUT_OF_SCOPE.read_text(encoding="utf-8"))["examples"]
    return [(e["text"], e["kind"], e.get("item")) for e in examples
            if e["kind"] in ("service", "booking", "out_of_scope", "outside")]


def corpus_messages(directory: Path) -> list[tuple[str, str, str | None]]:
    trained = set(TRAINING_CORPUS_SAMPLE.read_text(encoding="utf-8").splitlines())
    texts = [json.loads(line)["text"] for line in (directory / "crosswoz_user_utterances.jsonl").open(encoding="utf-8")]
    with (directory / "kdconv_utterances.tsv").open(encoding="utf-8") as rows:
        next(rows)
        texts += [row.split("\t", 1)[0] for row in rows]
    return [(t, "corpus", None) for t in dict.fromkeys(texts) if t and f"    - {t}" not in trained]


def read(client: httpx.Client, token: str, rasa: str, service: str, message: tuple[str, str, str | None]) -> Reading:
    text, kind, gold = message
    intent = client.post(f"{rasa}/model/parse", params={"token": token}, json={"text": text}).json()["intent"]["name"]
    if intent != "out_of_scope":
        return Reading(text, kind, gold, intent, (), (), False)
    found = client.get(f"{service}/api/catalogue/search", params={"q": text}).json()
    items = found["items"]
    return Reading(text, kind, gold, intent, tuple(i["score"] for i in items), tuple(i["name"] for i in items),
                   bool(found["confident"] or found["contested"]))


def offered(reading: Reading, floor: float | None) -> tuple[str, ...]:
    """The items offered (those from IN_PLACE_FLOOR) when the search is confident or contested,
    or, with a floor, also when its top hit reaches the floor."""
    if not (reading.sure or (floor is not None and reading.scores and reading.scores[0] >= floor)):
        return ()
    return tuple(n for n, s in zip(reading.names, reading.scores) if s >= IN_PLACE_FLOOR)[:CHOICES_OFFERED]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, help="directory with the CrossWOZ and KdConv files")
    parser.add_argument("--rasa", default="http://127.0.0.1:5005")
    parser.add_argument("--service", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    messages = dev_messages() + (corpus_messages(args.corpora) if args.corpora else [])
    token = RASA_TOKEN.read_text(encoding="utf-8").strip() if RASA_TOKEN.is_file() else ""
    with httpx.Client(timeout=30) as client, ThreadPoolExecutor(4) as pool:
        readings = list(pool.map(lambda m: read(client, token, args.rasa, args.service, m), messages))
    out = [r for r in readings if r.intent == "out_of_scope"]
    questions = [r for r in out if r.kind in ("service", "booking")]
    asked = sum(r.kind in ("service", "booking") for r in readings)
    print(f"read as out of scope: {len(questions)} of {asked} development questions; "
          + ", ".join(f"{sum(r.kind == k for r in out)} of {sum(r.kind == k for r in readings)} {k}"
                      for k in ("out_of_scope", "outside", "corpus")))
    print(f"{'floor':>8} {'questions offered':>18} {'right one offered':>18} "
          f"{'out_of_scope':>13} {'outside':>8} {'corpus':>8}")
    for floor in [None, *FLOORS]:
        cells = [sum(bool(offered(r, floor)) for r in questions),
                 sum(r.gold in offered(r, floor) for r in questions)]
        cells += [sum(bool(offered(r, floor)) for r in out if r.kind == k)
                  for k in ("out_of_scope", "outside", "corpus")]
        label = "in place" if floor is None else floor
        print(f"{label:>8} " + " ".join(f"{c:>{w}}" for c, w in zip(cells, (18, 18, 13, 8, 8))))
    shown = [r for r in out if r.kind == "corpus" and offered(r, SHOWN_FLOOR) and not offered(r, None)]
    for r in shown[:SHOWN]:
        print(f"  offered from {SHOWN_FLOOR}, not in place: {r.scores[0]:.2f} {r.names[0]} ← {r.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
