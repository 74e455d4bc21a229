"""`make eval`: what the bot's first reply DOES for each held-out message, in a new conversation.

Each message opens a fresh conversation on Rasa's REST webhook; the first reply (every bot
message of that turn, texts and buttons) is judged by its effect:

- item named: the gold official name is in a text or a button title (service, booking);
- handoff started: the 12345 handoff began (complaint, report, suggestion, help);
- not a bare rephrase: the reply is more than "please say it again" (in-scope messages);
- out-of-scope declined: the out-of-scope answer (out_of_scope);
- referral given: the department referral, or the "handled elsewhere" answer (outside);
- useful first answer: a notice or answer on one item, a choice of items, a referral, a
  handoff, a progress answer or the booking form's first question (government matters);
- confident-wrong share: of the replies that answer about exactly one item without offering
  a choice, the share about the wrong item, or on a message that asked for no item at all.

Marker texts come from domain.yml (and the notice header from service/core/templates.py) at run
time, so rewording a response does not break the judging. Benchmarks report: exits 0 even
when a figure is below its target. Runs in the Rasa environment; starts the service, the
action server and Rasa on spare ports.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional

import requests
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.stack import MODEL_PATH, REPO_ROOT, Ports, Stack  # noqa: E402
from service.core import templates as service_templates  # noqa: E402

SETS = {
    "real": REPO_ROOT / "tests" / "nlu" / "holdout_real.yml",
    "old": REPO_ROOT / "tests" / "nlu" / "holdout.yml",
    # The development set: thresholds are chosen on it (never on the held-out sets).
    "dev": REPO_ROOT / "tests" / "nlu" / "dev_real_style.yml",
}
DOMAIN = REPO_ROOT / "domain.yml"
RESULTS = REPO_ROOT / "var" / "results" / "eval_conversations.json"
# EVAL_PORT_OFFSET moves them for a second checkout's run.
_OFFSET = int(os.environ.get("EVAL_PORT_OFFSET", "0"))
CONVERSATION_PORTS = Ports(service=18300 + _OFFSET, actions=15355 + _OFFSET, rasa=15305 + _OFFSET)
WORKERS = 4  # the machine has 2 cores; Rasa, actions and service share them
REQUEST_TIMEOUT_S = 30
REPLY_CHARS = 200

ITEM_KINDS = {"service", "booking"}
HANDOFF_KINDS = {"complaint", "report", "suggestion", "help"}
GOVERNMENT_KINDS = ITEM_KINDS | HANDOFF_KINDS | {"outside", "progress"}
KINDS = GOVERNMENT_KINDS | {"chitchat", "out_of_scope"}
# The old set is labelled by intent; these intents are the first turn of a kind of conversation.
KIND_BY_INTENT = {
    "book_appointment": "booking",
    "complain": "complaint",
    "report": "report",
    "suggest": "suggestion",
    "seek_help": "help",
    "request_human": "help",
    "out_of_scope": "out_of_scope",
    "greet": "chitchat",
    "goodbye": "chitchat",
    "thank": "chitchat",
    "bot_challenge": "chitchat",
    "check_progress": "progress",
    "query_ticket": "progress",
}
FOLLOW_UP = "follow-up turn"
HANDOFF_WORDS = ("工单", "12345")

# Response names whose texts mark what a reply does.
HANDOFF_RESPONSES = ("utter_handoff_start", "utter_handoff_not_understood", "utter_handoff_offer")
HANDOFF_QUESTION_PREFIX = "utter_ask_handoff_"
REFERRAL_PREFIX = "utter_refer_department"  # with or without a local office
REFERRAL_RESPONSES = ("utter_handled_elsewhere",)
REPHRASE_RESPONSES = ("utter_ask_rephrase",)
OUT_OF_SCOPE_RESPONSES = ("utter_out_of_scope",)
PROGRESS_RESPONSES = ("utter_ask_case_number", "utter_ask_case_phone", "utter_case_status", "utter_case_not_found",
                      "utter_ask_status_number", "utter_ask_status_phone",
                      "utter_ticket_number_invalid", "utter_ticket_status", "utter_ticket_not_found",
                      "utter_ask_manage_code", "utter_ask_manage_which", "utter_ask_manage_phone",
                      "utter_manage_list", "utter_manage_show")
BOOKING_QUESTION_PREFIX = "utter_ask_booking_"
BOOKING_RESPONSES = ("utter_booking_not_bookable",)
ASPECT_ANSWER_RESPONSE = "utter_aspect_answer"

PLACEHOLDER = re.compile(r"\{(\w+)\}")
PREFIX_CHARS = 12
# A literal run shorter than this (the "“" before "{item_name}") would match almost anything.
MIN_PREFIX_CHARS = 4
# An item name never spans a line or the brackets and quotes that templates put around it.
ITEM_GROUP = r"(?P<item>[^\n【】“”]+?)"


# --- marker texts ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Markers:
    """Texts that show what a reply does: response prefixes, and patterns naming an item."""

    handoff: tuple[str, ...]
    handoff_questions: tuple[str, ...]
    referral: tuple[str, ...]
    rephrase: tuple[str, ...]
    out_of_scope: tuple[str, ...]
    progress: tuple[str, ...]
    booking: tuple[str, ...]
    answer_patterns: tuple[re.Pattern, ...]  # a notice or an aspect answer: the item answered
    item_patterns: tuple[re.Pattern, ...]  # any response about one {item_name}


def response_prefix(template: str) -> Optional[str]:
    """The text up to the first placeholder, cut to 12 characters; when that is too short to
    mean anything (a response opening with “{item_name}”), the first longer literal run."""
    for literal in PLACEHOLDER.split(template)[::2]:
        literal = literal.strip()
        if len(literal) >= MIN_PREFIX_CHARS:
            return literal[:PREFIX_CHARS]
    return None


def item_pattern(template: str) -> re.Pattern:
    """A regex matching a filled-in template; group `item` is what filled {item_name}."""
    parts = PLACEHOLDER.split(template)
    regex = ""
    for index, part in enumerate(parts):
        if index % 2 == 0:
            regex += re.escape(part)
        elif part == "item_name":
            regex += "(?P=item)" if "(?P<item>" in regex else ITEM_GROUP
        else:
            regex += ".*?"
    return re.compile(regex, re.S)


def response_texts(responses: dict, names: Iterable[str]) -> list[str]:
    """Every text variant of the named responses; an absent response has none."""
    return [variant["text"] for name in names for variant in responses.get(name) or []
            if isinstance(variant, dict) and variant.get("text")]


def load_markers(responses: dict, notice_header: str, notice_elsewhere: str) -> Markers:
    """Markers from domain.yml's responses and the service's notice templates."""

    opened_by: dict[str, set[str]] = defaultdict(set)  # prefix -> the responses it opens
    for name in responses:
        for text in response_texts(responses, [name]):
            opened_by[response_prefix(text)].add(name)

    def prefixes(names: Iterable[str], extra: Iterable[str] = ()) -> tuple[str, ...]:
        names = list(names)
        found = (response_prefix(text) for text in [*response_texts(responses, names), *extra])
        # A prefix that also opens a response outside the group cannot tell them apart.
        return tuple(dict.fromkeys(prefix for prefix in found if prefix and opened_by[prefix] <= set(names)))

    def named_like(prefix: str) -> list[str]:
        return [name for name in responses if name.startswith(prefix)]

    def item_patterns(templates: Iterable[str]) -> tuple[re.Pattern, ...]:
        return tuple(item_pattern(text) for text in templates if "{item_name}" in text)

    return Markers(
        handoff=prefixes(HANDOFF_RESPONSES),
        handoff_questions=prefixes(named_like(HANDOFF_QUESTION_PREFIX)),
        # The full notice of an item handled elsewhere opens with the same referral.
        referral=prefixes([*named_like(REFERRAL_PREFIX), *REFERRAL_RESPONSES], [notice_elsewhere]),
        rephrase=prefixes(REPHRASE_RESPONSES),
        out_of_scope=prefixes(OUT_OF_SCOPE_RESPONSES),
        progress=prefixes(PROGRESS_RESPONSES),
        booking=prefixes([*named_like(BOOKING_QUESTION_PREFIX), *BOOKING_RESPONSES]),
        answer_patterns=item_patterns([notice_header, *response_texts(responses, [ASPECT_ANSWER_RESPONSE])]),
        item_patterns=item_patterns([notice_header, *response_texts(responses, responses)]),
    )


def load_domain_markers() -> Markers:
    domain = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))
    return load_markers(domain.get("responses") or {}, service_templates.NOTICE_HEADER,
                        service_templates.NOTICE_ELSEWHERE)


# --- what a reply does (pure) -----------------------------------------------------------------

def reply_texts(messages: list[dict]) -> list[str]:
    return [message["text"] for message in messages if message.get("text")]


def button_titles(messages: list[dict]) -> list[str]:
    return [button.get("title") or "" for message in messages for button in message.get("buttons") or []]


def has_prefix(messages: list[dict], prefixes: Iterable[str]) -> bool:
    texts = reply_texts(messages)
    return any(prefix in text for prefix in prefixes for text in texts)


def names_in(text: str, catalogue: set[str]) -> set[str]:
    """The catalogue names in a text, leaving out a name found only inside a longer one."""
    found = {name for name in catalogue if name and name in text}
    return {name for name in found if not any(name != other and name in other for other in found)}


def items_named(messages: list[dict], catalogue: set[str]) -> set[str]:
    return {name for text in [*reply_texts(messages), *button_titles(messages)]
            for name in names_in(text, catalogue)}


def item_named(messages: list[dict], gold: str, catalogue: set[str]) -> bool:
    """The gold official name appears in a text or a button title."""
    return gold in items_named(messages, catalogue | {gold})


def items_in_patterns(messages: list[dict], patterns: Iterable[re.Pattern]) -> set[str]:
    return {match.group("item") for text in reply_texts(messages) for pattern in patterns
            for match in pattern.finditer(text)}


def notice_confident(messages: list[dict], markers: Markers, catalogue: set[str]) -> Optional[str]:
    """The one item the reply answers about (a notice or an aspect answer) without offering a
    choice of items, else None. The item is read from the notice header or the answer, not the
    whole reply, so the related items a notice lists do not count as a second item."""
    answered = items_in_patterns(messages, markers.answer_patterns)
    if len(answered) != 1 or not answered <= catalogue:
        return None
    item = next(iter(answered))
    other_buttons = {name for title in button_titles(messages) for name in names_in(title, catalogue)} - {item}
    return None if other_buttons else item


def item_answered(messages: list[dict], markers: Markers, catalogue: set[str]) -> Optional[str]:
    """The one catalogue item any item response is about (a notice, an answer, its situations,
    a booking question), else None."""
    items = items_in_patterns(messages, markers.item_patterns) & catalogue
    return next(iter(items)) if len(items) == 1 else None


def choices_offered(messages: list[dict], catalogue: set[str]) -> bool:
    """Buttons whose titles name catalogue items: a choice among several, or "您问的是不是……"
    about one (a question, not an answer)."""
    return any(names_in(title, catalogue) for title in button_titles(messages))


def handoff_wording(messages: list[dict]) -> bool:
    return any(word in text for word in HANDOFF_WORDS for text in reply_texts(messages))


def handoff_started(messages: list[dict], markers: Markers) -> bool:
    """The handoff's opening, or a handoff form question in a reply that speaks of 工单/12345."""
    return has_prefix(messages, markers.handoff) or (
        handoff_wording(messages) and has_prefix(messages, markers.handoff_questions))


def referral_given(messages: list[dict], markers: Markers) -> bool:
    return has_prefix(messages, markers.referral)


def bare_rephrase(messages: list[dict], markers: Markers, catalogue: set[str]) -> bool:
    """"Please say it again" and nothing else useful: no item named, no buttons."""
    return (has_prefix(messages, markers.rephrase) and not items_named(messages, catalogue)
            and not button_titles(messages))


def oos_declined(messages: list[dict], markers: Markers) -> bool:
    return has_prefix(messages, markers.out_of_scope)


def progress_answer(messages: list[dict], markers: Markers) -> bool:
    return has_prefix(messages, markers.progress)


def booking_started(messages: list[dict], markers: Markers) -> bool:
    return has_prefix(messages, markers.booking)


def mentions(messages: list[dict], word: str) -> bool:
    return any(word in text for text in [*reply_texts(messages), *button_titles(messages)])


def judge(messages: list[dict], example: dict, markers: Markers, catalogue: set[str],
          error: Optional[str] = None) -> dict:
    """What the reply to one held-out example did. A failed request did nothing."""
    kind, gold, department = example["kind"], example.get("item"), example.get("department")
    confident = notice_confident(messages, markers, catalogue)
    # None: no confident answer, or no gold item to judge it by.
    if confident is None or (kind in ITEM_KINDS and not gold):
        wrong = None
    else:
        wrong = confident != gold if kind in ITEM_KINDS else kind != "outside"
    did = {
        "item_named": bool(gold) and item_named(messages, gold, catalogue),
        "notice_confident": confident,
        "confident_wrong": wrong,
        "item_answered": item_answered(messages, markers, catalogue),
        "choices_offered": choices_offered(messages, catalogue),
        "handoff_started": handoff_started(messages, markers),
        "handoff_wording": handoff_wording(messages),
        "referral_given": referral_given(messages, markers),
        "department_named": bool(department) and mentions(messages, department),
        "rephrase": bare_rephrase(messages, markers, catalogue),
        "oos_declined": oos_declined(messages, markers),
        "progress_answer": progress_answer(messages, markers),
        "booking_started": booking_started(messages, markers),
    }
    did["useful"] = bool(did["item_answered"] or did["choices_offered"] or did["referral_given"]
                         or did["handoff_started"] or did["progress_answer"] or did["booking_started"])
    return {
        "text": example["text"],
        "kind": kind,
        "form": example.get("form"),
        "gold": gold,
        "department": department,
        "error": error,
        "did": did,
        "reply": [text[:REPLY_CHARS] for text in reply_texts(messages)],
        "buttons": button_titles(messages),
    }


def reply_summary(judgement: dict) -> str:
    """A short name for what the reply did, to group failures."""
    did = judgement["did"]
    if judgement["error"]:
        return "error"
    if did["handoff_started"]:
        return "handoff"
    if did["referral_given"]:
        return "referral"
    if did["notice_confident"]:
        return "notice on a wrong item" if did["confident_wrong"] else "notice"
    if did["choices_offered"]:
        return "choices" + ("" if did["item_named"] or not judgement["gold"] else " without the item")
    if did["item_answered"]:
        return "question on one item"
    for name in ("oos_declined", "rephrase", "progress_answer", "booking_started"):
        if did[name]:
            return name.replace("_", " ")
    return f"other: {judgement['reply'][0][:PREFIX_CHARS]}" if judgement["reply"] else "no reply"


# --- figures ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Metric:
    name: str
    applies: Callable[[dict], bool]
    hit: Callable[[dict], bool]
    target: Optional[float] = None
    at_most: bool = False  # the target is a ceiling (a share of bad replies)
    failure: bool = True  # a miss is listed among the failures


def _kind_in(kinds: set[str]) -> Callable[[dict], bool]:
    return lambda j: j["kind"] in kinds


def _did(name: str) -> Callable[[dict], bool]:
    return lambda j: bool(j["did"][name])


METRICS = (
    Metric("item named (service, booking)", lambda j: j["kind"] in ITEM_KINDS and bool(j["gold"]),
           _did("item_named"), target=0.90),
    Metric("handoff started (complaint..help)", _kind_in(HANDOFF_KINDS), _did("handoff_started"), target=0.90),
    Metric("not a bare rephrase (in scope)", lambda j: j["kind"] not in {"out_of_scope", "chitchat"},
           lambda j: not j["error"] and not j["did"]["rephrase"], target=0.95),
    Metric("out-of-scope declined", _kind_in({"out_of_scope"}), _did("oos_declined"), target=0.90),
    Metric("referral given (outside)", _kind_in({"outside"}), _did("referral_given")),
    Metric("referral or handoff (outside)", _kind_in({"outside"}),
           lambda j: j["did"]["referral_given"] or j["did"]["handoff_started"]),
    Metric("department named (outside)", _kind_in({"outside"}), _did("department_named"), failure=False),
    Metric("useful first answer (gov. matters)", _kind_in(GOVERNMENT_KINDS), _did("useful")),
    Metric("confident-wrong share", lambda j: j["did"]["confident_wrong"] is not None,
           _did("confident_wrong"), target=0.03, at_most=True),
    Metric("handoff wording share", _did("handoff_started"), _did("handoff_wording"), failure=False),
)


def figure(metric: Metric, judgements: list[dict]) -> dict:
    judged = [j for j in judgements if metric.applies(j)]
    hits = sum(metric.hit(j) for j in judged)
    value = hits / len(judged) if judged else None
    ok = None
    if metric.target is not None and value is not None:
        ok = value <= metric.target if metric.at_most else value >= metric.target
    return {"value": value, "hits": hits, "n": len(judged), "target": metric.target,
            "at_most": metric.at_most, "ok": ok}


def figures(judgements: list[dict]) -> dict[str, dict]:
    return {metric.name: figure(metric, judgements) for metric in METRICS}


def grouped_figures(judgements: list[dict], key: str) -> dict[str, dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for judgement in judgements:
        groups[judgement[key] or "-"].append(judgement)
    return {name: {"n": len(group), "errors": sum(bool(j["error"]) for j in group), "figures": figures(group)}
            for name, group in sorted(groups.items())}


def failures(judgements: list[dict]) -> Counter:
    """Misses by metric, kind and what the reply did instead."""
    found: Counter = Counter()
    for judgement in judgements:
        for metric in METRICS:
            if metric.failure and metric.applies(judgement) and metric.hit(judgement) == metric.at_most:
                found[f"{metric.name} | {judgement['kind']} got {reply_summary(judgement)}"] += 1
    return found


# --- held-out sets ----------------------------------------------------------------------------

def kind_of_intent(intent: str) -> Optional[str]:
    """The kind of conversation an old-set intent opens; None for a follow-up turn."""
    if intent in KIND_BY_INTENT:
        return KIND_BY_INTENT[intent]
    return "service" if intent.startswith("ask_") else None


def examples_of(name: str, raw: list[dict]) -> tuple[list[dict], Counter]:
    """The examples to run, with kinds, and how many were skipped for what reason."""
    kept, skipped = [], Counter()
    for example in raw:
        kind = example["kind"] if "kind" in example else kind_of_intent(example.get("intent", ""))
        if kind is None:
            skipped[FOLLOW_UP] += 1
        elif kind not in KINDS:
            skipped[f"unknown kind {kind}"] += 1
        else:
            kept.append({**example, "kind": kind})
    return kept, skipped


def load_set(name: str) -> Optional[list[dict]]:
    path = SETS[name]
    if not path.exists():
        return None
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("examples") or []


# --- the live run -----------------------------------------------------------------------------

def catalogue_items(service: str) -> list[dict]:
    """Every item of the service's catalogue list, page by page (also used by scripts/evaluate.py)."""
    items: list[dict] = []
    page = 1
    while True:
        body = requests.get(f"{service}/api/catalogue/items", params={"page": page, "page_size": 100},
                            timeout=10).json()
        items += body["items"]
        if not body["items"] or len(items) >= body["total"]:
            return items
        page += 1


def first_reply(rasa: str, text: str) -> tuple[list[dict], Optional[str]]:
    """The bot's messages in answer to `text` in a new conversation, or the error."""
    try:
        response = requests.post(f"{rasa}/webhooks/rest/webhook",
                                  json={"sender": f"eval-{uuid.uuid4().hex}", "message": text},
                                  timeout=REQUEST_TIMEOUT_S)
        response.raise_for_status()
        return response.json(), None
    except (requests.RequestException, ValueError) as error:
        return [], f"{type(error).__name__}: {error}"[:REPLY_CHARS]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=["real", "old", "both", "dev"], default="both", dest="which",
                        help="held-out set: real (holdout_real.yml), old (holdout.yml) or both; "
                             "dev (dev_real_style.yml) for choosing thresholds")
    parser.add_argument("--limit", type=int, help="run only the first N examples of each set")
    parser.add_argument("--model", type=Path, default=MODEL_PATH, help="model to evaluate")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help="where the JSON report goes (the service's database: DATABASE_URL)")
    args = parser.parse_args()

    markers = load_domain_markers()
    chosen = ["real", "old"] if args.which == "both" else [args.which]
    runs = {}
    for name in chosen:
        raw = load_set(name)
        if raw is None:
            print(f"{SETS[name].relative_to(REPO_ROOT)} is not there yet: set '{name}' skipped.")
            continue
        examples, skipped = examples_of(name, raw)
        runs[name] = (examples[: args.limit] if args.limit else examples, skipped)
    if not runs:
        return 0

    with tempfile.TemporaryDirectory(prefix="eval-conversations-") as work:
        # Throwaway conversations: keep them out of the development tracker store.
        stack = Stack(ports=CONVERSATION_PORTS, log_dir=REPO_ROOT / "var" / "logs" / "eval_conversations",
                      model_path=args.model, extra_env={"TRACKER_STORE_URL": f"sqlite:///{work}/tracker.db"})
        print("启动服务、动作服务器与 Rasa（评测端口）……", flush=True)
        try:
            stack.start()
            catalogue = {item["name"] for item in catalogue_items(f"http://127.0.0.1:{CONVERSATION_PORTS.service}")}
            rasa = f"http://127.0.0.1:{CONVERSATION_PORTS.rasa}"
            report = {"model": str(args.model), "catalogue_items": len(catalogue), "sets": {}}
            for name, (examples, skipped) in runs.items():
                started = time.monotonic()
                with ThreadPoolExecutor(max_workers=WORKERS) as pool:
                    replies = list(pool.map(lambda example: first_reply(rasa, example["text"]), examples))
                seconds = time.monotonic() - started
                judgements = [judge(messages, example, markers, catalogue, error)
                              for example, (messages, error) in zip(examples, replies)]
                report["sets"][name] = set_report(name, judgements, skipped, seconds)
        finally:
            stack.stop()

    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print_report(report, args.results)
    return 0


def set_report(name: str, judgements: list[dict], skipped: Counter, seconds: float) -> dict:
    return {
        "file": str(SETS[name].relative_to(REPO_ROOT)),
        "examples": len(judgements),
        "skipped": dict(skipped),
        "errors": sum(bool(j["error"]) for j in judgements),
        "seconds": round(seconds, 1),
        "seconds_per_100": round(100 * seconds / len(judgements), 1) if judgements else None,
        "figures": figures(judgements),
        "by_form": grouped_figures(judgements, "form"),
        "by_kind": grouped_figures(judgements, "kind"),
        "failures": failures(judgements).most_common(),
        "judgements": judgements,
    }


# --- printing ---------------------------------------------------------------------------------

# The per-kind table: a column per figure that applies to some kinds (figure, short title).
KIND_COLUMNS = (
    ("item named (service, booking)", "named"),
    ("handoff started (complaint..help)", "handoff"),
    ("not a bare rephrase (in scope)", "!rephr"),
    ("out-of-scope declined", "oos"),
    ("referral given (outside)", "refer"),
    ("useful first answer (gov. matters)", "useful"),
)


def cell(entry: Optional[dict]) -> str:
    if not entry or entry["value"] is None:
        return "-"
    return f"{entry['value']:.3f}/{entry['n']}"


def target_text(metric: Metric) -> str:
    return "" if metric.target is None else f"{'≤' if metric.at_most else '≥'}{metric.target:.2f}"


def print_report(report: dict, results: Path) -> None:
    sets = report["sets"]
    real, old = sets.get("real"), sets.get("old")
    forms = [form for form in (real or {}).get("by_form", {}) if form != "-"]
    print(f"\n conversation-level first replies ({report['catalogue_items']} catalogue items); "
          "value/n, targets apply to the new set\n")
    header = f" {'figure':36} {'target':>7} {'real':>11}" + "".join(f" {'real:' + f:>11}" for f in forms)
    print(header + f" {'old':>11}")
    for metric in METRICS:
        row = f" {metric.name:36} {target_text(metric):>7}"
        row += f" {cell(real and real['figures'][metric.name]):>11}"
        row += "".join(f" {cell(real['by_form'][f]['figures'][metric.name]):>11}" for f in forms)
        row += f" {cell(old and old['figures'][metric.name]):>11}"
        ok = real and real["figures"][metric.name]["ok"]
        print(row + ("" if ok is None else " ok" if ok else " BELOW"))

    for name, body in sets.items():
        skipped = ", ".join(f"{count} {reason}" for reason, count in body["skipped"].items()) or "none"
        print(f"\n [{name}] {body['file']}: {body['examples']} run, skipped {skipped}, "
              f"{body['errors']} errors, {body['seconds']} s ({body['seconds_per_100']} s per 100 messages)")
        print(f"   {'kind':13} {'n':>4} {'err':>4}" + "".join(f" {title:>8}" for _, title in KIND_COLUMNS)
              + f" {'notice':>7} {'wrong':>6}")
        for kind, group in body["by_kind"].items():
            values = [group["figures"][name]["value"] for name, _ in KIND_COLUMNS]
            confident = group["figures"]["confident-wrong share"]
            print(f"   {kind:13} {group['n']:>4} {group['errors']:>4}"
                  + "".join(f" {'-' if v is None else f'{v:.2f}':>8}" for v in values)
                  + f" {confident['n']:>7} {confident['hits']:>6}")
        print("   most common failures:")
        for failure, count in body["failures"][:10]:
            print(f"   {count:4}  {failure}")
    print(f"\n per-message judgements: {results}")


if __name__ == "__main__":
    sys.exit(main())
