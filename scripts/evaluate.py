"""`make eval`: accuracy on the held-out set (tests/nlu/holdout.yml), beside baselines trained
on the same data in the same run.

- intent accuracy: Rasa's /model/parse vs TF-IDF (character 1-3 grams) + logistic regression;
- item top-1: the service's /api/assist vs the catalogue search alone vs TF-IDF nearest item;
- out-of-scope rejection: out_of_scope or nlu_fallback on out-of-scope messages (and how
  often in-scope messages are wrongly rejected);
- service_item mentions: spaCy PhraseMatcher (bot/phrase_matching.py) vs lookup substrings.

Runs in the Rasa environment; starts the service and Rasa on spare ports (moved by
EVAL_PORT_OFFSET). `make eval-large` runs it again on the large catalogue: DATABASE_URL names its
database, and --model, --nlu-data, --jieba and --results its model, NLU data, dictionary and report.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

import requests
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics.pairwise import cosine_similarity

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.phrase_matching import CataloguePhraseMatcher, load_jieba_dictionaries  # noqa: E402
from scripts.evaluate_conversations import catalogue_items  # noqa: E402
from scripts.stack import MODEL_PATH, REPO_ROOT, Ports, Stack  # noqa: E402

HOLDOUT = REPO_ROOT / "tests" / "nlu" / "holdout.yml"
REJECTED = {"out_of_scope", "nlu_fallback"}
_OFFSET = int(os.environ.get("EVAL_PORT_OFFSET", "0"))
EVAL_PORTS = Ports(service=18100 + _OFFSET, actions=15155 + _OFFSET, rasa=15105 + _OFFSET)
RESULTS = REPO_ROOT / "var" / "results" / "eval.json"
TARGETS = {"intent_accuracy": 0.92, "item_top1": 0.95, "oos_rejection": 0.90}


def load_holdout() -> list[dict]:
    return yaml.safe_load(HOLDOUT.read_text(encoding="utf-8"))["examples"]


def load_training(nlu_data: Path = REPO_ROOT / "data" / "nlu"):
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(nlu_data))
    examples = [(m.get("text"), m.get("intent")) for m in data.intent_examples]
    return data, examples


def baseline_intents(train: list[tuple[str, str]], texts: list[str]) -> list[tuple[str, float]]:
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    features = vectorizer.fit_transform([text for text, _ in train])
    model = LogisticRegression(max_iter=2000, C=10)
    model.fit(features, [intent for _, intent in train])
    probabilities = model.predict_proba(vectorizer.transform(texts))
    return [(model.classes_[row.argmax()], float(row.max())) for row in probabilities]


def catalogue_phrases(training_data) -> dict[str, str]:
    officials = {
        element
        for table in training_data.lookup_tables
        if table.get("name") == "service_item"
        for element in table.get("elements", [])
    }
    phrases = {name: name for name in officials}
    phrases.update({a: o for a, o in training_data.entity_synonyms.items() if o in officials})
    return phrases


def substring_mention(text: str, phrases: dict[str, str]) -> str | None:
    """What RegexEntityExtractor with lookups does: the longest phrase found inside the text."""
    found = [phrase for phrase in phrases if phrase and phrase.lower() in text.lower()]
    return phrases[max(found, key=len)] if found else None


def baseline_items(items: list[dict], texts: list[str]) -> list[str]:
    documents = [" ".join([item["name"], *item.get("aliases", [])]) for item in items]
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    matrix = vectorizer.fit_transform(documents)
    similarity = cosine_similarity(vectorizer.transform(texts), matrix)
    return [items[row.argmax()]["name"] for row in similarity]


def ratio(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=MODEL_PATH, help="model to evaluate")
    parser.add_argument("--nlu-data", type=Path, default=REPO_ROOT / "data" / "nlu",
                        help="the NLU data the model was trained on (baselines, lookup)")
    parser.add_argument("--jieba", type=Path, default=REPO_ROOT / "bot" / "jieba", help="its jieba dictionaries")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the JSON report goes")
    args = parser.parse_args()
    holdout = load_holdout()
    training_data, train = load_training(args.nlu_data)
    texts = [example["text"] for example in holdout]

    stack = Stack(ports=EVAL_PORTS, log_dir=REPO_ROOT / "var" / "logs" / "eval", model_path=args.model)
    print("启动服务与 Rasa（评测端口）……", flush=True)
    stack.start(("service", "rasa"))
    try:
        service = f"http://127.0.0.1:{EVAL_PORTS.service}"
        rasa = f"http://127.0.0.1:{EVAL_PORTS.rasa}"
        catalogue = catalogue_items(service)
        full_items = [requests.get(f"{service}/api/catalogue/items/{i['code']}", timeout=10).json()
                      for i in catalogue]

        started = time.monotonic()
        parsed = [requests.post(f"{rasa}/model/parse", params=stack.rasa_api_params, json={"text": t}, timeout=30).json()
                  for t in texts]
        assisted = [requests.post(f"{service}/api/assist", json={"text": t}, timeout=30).json()
                    for t in texts]
        searched = [requests.get(f"{service}/api/catalogue/search", params={"q": t, "limit": 1},
                                 timeout=10).json() for t in texts]
        elapsed = time.monotonic() - started
    finally:
        stack.stop()

    rasa_intents = [p["intent"]["name"] for p in parsed]
    base_intents = [name for name, _ in baseline_intents(train, texts)]
    base_items = baseline_items(full_items, texts)
    load_jieba_dictionaries(args.jieba)
    phrases = catalogue_phrases(training_data)
    matcher = CataloguePhraseMatcher(phrases)

    gold_intents = [e["intent"] for e in holdout]
    in_scope = [i for i, e in enumerate(holdout) if e["intent"] != "out_of_scope"]
    oos = [i for i, e in enumerate(holdout) if e["intent"] == "out_of_scope"]
    with_item = [i for i, e in enumerate(holdout) if e.get("item")]

    def top_name(body: dict) -> str | None:
        return body["items"][0]["name"] if body.get("items") else None

    def spacy_mention(text: str) -> str | None:
        found = matcher.find(text)
        return max(found, key=lambda m: m.end - m.start).official_name if found else None

    report = {
        "model": str(args.model),
        "catalogue_items": len(catalogue),
        "examples": len(holdout),
        "intent_accuracy": {
            "rasa": ratio(sum(rasa_intents[i] == gold_intents[i] for i in range(len(texts))), len(texts)),
            "baseline_tfidf_lr": ratio(sum(base_intents[i] == gold_intents[i] for i in range(len(texts))), len(texts)),
        },
        "item_top1": {
            "assist": ratio(sum(top_name(assisted[i]) == holdout[i]["item"] for i in with_item), len(with_item)),
            "search_only": ratio(sum(top_name(searched[i]) == holdout[i]["item"] for i in with_item), len(with_item)),
            "baseline_tfidf_nearest": ratio(sum(base_items[i] == holdout[i]["item"] for i in with_item), len(with_item)),
        },
        "oos_rejection": {
            "rasa": ratio(sum(rasa_intents[i] in REJECTED for i in oos), len(oos)),
            "baseline_tfidf_lr": ratio(sum(base_intents[i] == "out_of_scope" for i in oos), len(oos)),
        },
        "in_scope_wrongly_rejected": {
            "rasa": ratio(sum(rasa_intents[i] in REJECTED for i in in_scope), len(in_scope)),
            "baseline_tfidf_lr": ratio(sum(base_intents[i] == "out_of_scope" for i in in_scope), len(in_scope)),
        },
        "item_mention_recall": {
            "spacy_phrase_matcher": ratio(sum(spacy_mention(texts[i]) == holdout[i]["item"] for i in with_item), len(with_item)),
            "lookup_substring": ratio(sum(substring_mention(texts[i], phrases) == holdout[i]["item"] for i in with_item), len(with_item)),
            "rasa_pipeline_entity": ratio(sum(
                any(e["entity"] == "service_item" and e["value"] == holdout[i]["item"] for e in parsed[i]["entities"])
                for i in with_item), len(with_item)),
        },
        "seconds_for_queries": round(elapsed, 1),
        "intent_errors": Counter(
            f"{gold_intents[i]} -> {rasa_intents[i]}" for i in range(len(texts)) if rasa_intents[i] != gold_intents[i]
        ).most_common(15),
        "intent_misses": [
            {"text": texts[i], "expected": gold_intents[i], "rasa": rasa_intents[i],
             "confidence": round(parsed[i]["intent"]["confidence"], 3),
             "ranking": [(r["name"], round(r["confidence"], 3)) for r in parsed[i].get("intent_ranking", [])[:3]]}
            for i in range(len(texts)) if rasa_intents[i] != gold_intents[i]
        ],
        "item_errors": [
            {"text": texts[i], "expected": holdout[i]["item"], "assist": top_name(assisted[i])}
            for i in with_item if top_name(assisted[i]) != holdout[i]["item"]
        ],
    }
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print_report(report, args.results)
    return 0


def print_report(report: dict, results: Path) -> None:
    print(f"\n held-out set: {report['examples']} messages (tests/nlu/holdout.yml); "
          f"model {report['model']}, {report['catalogue_items']} catalogue items\n")
    rows = [
        ("intent accuracy", report["intent_accuracy"]["rasa"], report["intent_accuracy"]["baseline_tfidf_lr"],
         TARGETS["intent_accuracy"]),
        ("item top-1 (/api/assist)", report["item_top1"]["assist"], report["item_top1"]["baseline_tfidf_nearest"],
         TARGETS["item_top1"]),
        ("out-of-scope rejection", report["oos_rejection"]["rasa"], report["oos_rejection"]["baseline_tfidf_lr"],
         TARGETS["oos_rejection"]),
        ("in-scope wrongly rejected", report["in_scope_wrongly_rejected"]["rasa"],
         report["in_scope_wrongly_rejected"]["baseline_tfidf_lr"], None),
    ]
    print(f" {'metric':28} {'system':>8} {'baseline':>9} {'target':>7}")
    for name, system, baseline, target in rows:
        mark = "" if target is None else (" ok" if system >= target else " BELOW")
        print(f" {name:28} {system:8.3f} {baseline:9.3f} {'' if target is None else f'{target:.2f}':>7}{mark}")
    print(f" {'item top-1, search alone':28} {report['item_top1']['search_only']:8.3f}")
    mentions = report["item_mention_recall"]
    print("\n service_item mention recall (correct official name):")
    for name, value in mentions.items():
        print(f"   {name:24} {value:.3f}")
    print(f"\n most frequent intent errors: {report['intent_errors'][:8]}")
    print(f" item errors: {len(report['item_errors'])} (details in {results})")


if __name__ == "__main__":
    sys.exit(main())
