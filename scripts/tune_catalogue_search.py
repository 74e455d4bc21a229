"""Choose how the search ranks imported provincial items, on development sets that are not held out:
`.venvs/svc/bin/python scripts/tune_catalogue_search.py`.

Two parameters decide how the ~2,250 imported Guangdong items compete with the hall's 60:
`search.IMPORTED_WEIGHT` (the share of its match an imported item scores) and
`guide_import.MIN_ALIAS_CHARS` (an everyday word of the export this long or longer is an alias,
matched whole as a phrase; a shorter one is a keyword). Each value of a grid is scored on:

- dev: the service and booking questions of tests/nlu/dev_real_style.yml, the development set
  the item thresholds are chosen on, and the short chat-box questions of tests/nlu/dev_short.yml
  (both written apart from the training data and the held-out sets, never trained on); top-1 must
  be the item named, with the whole export imported beside the hall's catalogue, and beside it the
  same on the hall's catalogue alone;
- training: the training messages of data/nlu that name one hand-kept item (a `service_item`
  entity mapped through the lookup's synonyms to the official name), reported only: the search
  meets them at 0.97 whatever the values, they do not tell the values apart;
- imported: every fourth imported item (by code) asked by its official name (without a bracketed
  tail), when no hand-kept item has that name; top-1 must be an item of that name.

The rule follows the issue's constraint rather than a trade-off: importing must not cost the
hall's own questions ("item accuracy does not fall"), so only values whose dev top-1 is not below
the hall's catalogue alone are allowed, at that weight and at the next one up: a weight at the very
edge of what the development questions allow leaves questions written apart from them none to
spare. Among the allowed values, the best imported top-1 wins, then the best
training top-1; among values still tied, the alias length in the code now stays (no change without
evidence), then the largest weight (the least departure from scoring every item alike).
The chosen pair is printed last, and for every value the dev questions it loses and gains.

History: until 2026-12-07 one lost dev question was allowed whatever was gained; then none. On
the development set of 538 questions (707 messages) no value lost none (every weight lost two and
gained three, through the context words, since made per source), and the fallback was weight 0.4,
where imported items asked by their own names are found 0.561 against 0.833 at 0.6; the net
figure says what the issue asks. With per-source context words both rules choose 0.6.
On 2026-12-07 an unknown word's weight grew with a larger source's idf scale, the short
questions joined dev (1,006), and the rule took one step of slack: without it, it chose 0.7 (as
once before, when the held-out questions lost one more than at 0.6; README, "The large catalogue").
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("ENVIRONMENT", "development")

from sqlalchemy import select  # noqa: E402

from service.catalogue import guide_import, search  # noqa: E402
from service.catalogue.models import Item, Origin  # noqa: E402
from service.catalogue.publishing import import_export  # noqa: E402
from service.catalogue.terms import name_stem  # noqa: E402
from service.core.db import get_session_factory  # noqa: E402
from service.migrate import upgrade_database  # noqa: E402
from service.seeding import seed_database  # noqa: E402

EXPORT = REPO_ROOT / "service" / "seed" / "reference" / "guangdong_service_guides.jsonl.xz"
NLU_DIR = REPO_ROOT / "data" / "nlu"
DEV_SET = REPO_ROOT / "tests" / "nlu" / "dev_real_style.yml"
# Short chat-box questions, one hand-kept item each (written 2026-12-07, apart from training and held-out).
DEV_SHORT = REPO_ROOT / "tests" / "nlu" / "dev_short.yml"
WEIGHTS = [round(0.4 + 0.1 * i, 1) for i in range(7)]  # 0.4 .. 1.0
ALIAS_CHARS = [2, 3, 4, 5, 99]  # 2: every everyday word an alias; 99: every one a keyword
TIE = 0.001
# Every SAMPLE_EVERY-th imported item (by code) is asked, to keep the grid within minutes.
SAMPLE_EVERY = 4
# [居住证]{"entity": "service_item", "value": "居住证申领"} or [居住证](service_item)
_ANNOTATION = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")


def training_messages() -> list[tuple[str, str]]:
    """(plain text, annotated service_item value) of every training message naming one item."""
    found = []
    for path in sorted(NLU_DIR.rglob("*.yml")):
        if "lookups" in path.parts:
            continue
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" not in block:
                continue
            for line in block.get("examples", "").splitlines():
                line = line.strip().removeprefix("- ").strip()
                values = set()
                for match in _ANNOTATION.finditer(line):
                    spec = match.group(2)
                    if spec.startswith("{"):
                        entity = json.loads(spec)
                        if entity.get("entity") == "service_item":
                            values.add(entity.get("value", match.group(1)))
                    elif spec == "(service_item)":
                        values.add(match.group(1))
                if len(values) == 1:
                    found.append((_ANNOTATION.sub(lambda m: m.group(1), line), values.pop()))
    return found


def synonyms() -> dict[str, str]:
    """Alias → official name, from the generated lookup file (the hand-kept catalogue)."""
    mapping = {}
    data = yaml.safe_load((NLU_DIR / "lookups" / "service_item.yml").read_text(encoding="utf-8"))
    for block in data["nlu"]:
        if "synonym" in block:
            for line in block["examples"].splitlines():
                mapping[line.strip().removeprefix("- ").strip()] = block["synonym"]
    return mapping


def dev_questions() -> list[tuple[str, str]]:
    """(text, official item name) of the development sets' service and booking questions."""
    examples = yaml.safe_load(DEV_SET.read_text(encoding="utf-8"))["examples"]
    examples += yaml.safe_load(DEV_SHORT.read_text(encoding="utf-8"))["examples"]
    # The short set holds service questions only, with no kind.
    asking = [e for e in examples if e.get("kind", "service") in ("service", "booking")]
    return [(e["text"], e["item"]) for e in asking if e.get("item")]


def ranked_first(index: search.SearchIndex, queries: list[tuple[str, str]]) -> set[str]:
    """The texts whose top hit is the item named."""
    right = set()
    for text, gold in queries:
        hits = index.search(text, limit=1)
        if hits and hits[0].name == gold:
            right.add(text)
    return right


def top1(index: search.SearchIndex, queries: list[tuple[str, str]]) -> float:
    return len(ranked_first(index, queries)) / len(queries) if queries else 0.0


def fresh_index(url: str) -> search.SearchIndex:
    search.get_tokenizer.cache_clear()  # words added by the previous build stay out
    with get_session_factory(url)() as session:
        return search.build_search_index(session)


CURRENT_ALIAS_CHARS = guide_import.MIN_ALIAS_CHARS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    to_official = synonyms()
    dev = dev_questions()
    with tempfile.TemporaryDirectory() as tmp:
        small_url = f"sqlite:///{tmp}/small.db"
        upgrade_database(database_url=small_url)
        with get_session_factory(small_url)() as session:
            seed_database(seed_dir=REPO_ROOT / "service" / "seed", session=session)
            hall_names = set(session.scalars(select(Item.name)))
        dev_right_alone = ranked_first(fresh_index(small_url), dev)
        dev_alone = len(dev_right_alone) / len(dev)
        training = [(text, to_official.get(value, value)) for text, value in training_messages()]
        training = [(text, name) for text, name in training if name in hall_names]
        print(f"dev: {len(dev)} questions, top-1 {dev_alone:.3f} on the hall's catalogue alone; "
              f"training: {len(training)} messages naming a hand-kept item", flush=True)
        rows = []
        for alias_chars in ALIAS_CHARS:
            # A fresh database per value: the export is imported as this rule reads it.
            guide_import.MIN_ALIAS_CHARS = alias_chars
            url = f"sqlite:///{tmp}/tune{alias_chars}.db"
            upgrade_database(database_url=url)
            with get_session_factory(url)() as session:
                seed_database(seed_dir=REPO_ROOT / "service" / "seed", session=session)
            with get_session_factory(url)() as session:
                import_export(session, EXPORT, created_by="tune", dry_run=False)
                imported = {i.code: i.name for i in session.scalars(select(Item).where(Item.origin == Origin.IMPORT))}
            index = fresh_index(url)
            asked = [(name_stem(name), name) for code, name in sorted(imported.items())[::SAMPLE_EVERY]
                     if name not in hall_names]
            for weight in WEIGHTS:
                for doc in index.docs:
                    doc.weight = weight if doc.code in imported else 1.0
                dev_right = ranked_first(index, dev)
                dev_top1 = len(dev_right) / len(dev)
                imported_top1, training_top1 = top1(index, asked), top1(index, training)
                costs = dev_top1 < dev_alone
                rows.append((alias_chars, weight, dev_top1, imported_top1, training_top1, costs))
                print(f"alias >= {alias_chars:>2} chars  weight {weight:.2f}  dev {dev_top1:.3f} "
                      f"(-{len(dev_right_alone - dev_right)} +{len(dev_right - dev_right_alone)})  "
                      f"training {training_top1:.3f}  imported ({len(asked)}) {imported_top1:.3f}"
                      + ("  (costs the hall's questions)" if costs else ""), flush=True)
    costs = {(row[0], row[1]): row[5] for row in rows}
    next_weight = dict(zip(WEIGHTS, WEIGHTS[1:]))
    allowed = [row for row in rows if not row[5] and not costs.get((row[0], next_weight.get(row[1])), False)]
    allowed = allowed or [max(rows, key=lambda row: row[2])]
    best = max(row[3] for row in allowed)
    tied = [row for row in allowed if row[3] >= best - TIE]
    best_training = max(row[4] for row in tied)
    tied = [row for row in tied if row[4] >= best_training - TIE]
    chosen = max(tied, key=lambda row: (row[0] == CURRENT_ALIAS_CHARS, row[1]))
    print(f"chosen: MIN_ALIAS_CHARS = {chosen[0]}, IMPORTED_WEIGHT = {chosen[1]:.2f} "
          f"(dev {chosen[2]:.3f} beside {dev_alone:.3f} alone, imported {chosen[3]:.3f}, training {chosen[4]:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
