"""Referral (首问负责) evaluation on the lists of tests/nlu/referral_dev.yml, beside two baselines
measured in the same run.

For the dev and the check questions: referred to the expected item (right), to another item
(wrong), not referred (missed) and recall (right / all); a miss is either kept by the hall's
catalogue or scores below REFERRAL_THRESHOLD. For the chat and complaint list: the texts referred
anyway. refer() runs against the database the service uses (settings.DATABASE_URL, the real
catalogue after `make db`), which holds some of these matters; the tests use the test catalogue,
which holds none of them, as when the threshold was chosen.

Baselines, with no threshold and no catalogue: the reference directory's top hit (what the
threshold and the catalogue's precedence change), and the reference item whose name shares the
most characters with the question (what the directory's ranking adds).

Runs in-process in the service environment: `.venvs/svc/bin/python scripts/evaluate_referral.py`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from service.catalogue.referral import REFERRAL_THRESHOLD, ReferralIndex, get_referral_index, refer  # noqa: E402
from service.catalogue.search import compact, get_search_index  # noqa: E402
from service.core.db import get_session_factory  # noqa: E402

LISTS_PATH = REPO_ROOT / "tests" / "nlu" / "referral_dev.yml"

# (question, a fragment the referred item's name must contain; "|" separates alternatives)
Question = tuple[str, str]
# text → the name of the item it is referred to, or None
Referrer = Callable[[str], str | None]


@dataclass(frozen=True)
class KnownWrong:
    question: str
    referred_to: str
    reason: str


@dataclass(frozen=True)
class ReferralLists:
    dev: list[Question]
    not_referred: list[str]
    check: list[Question]
    known_wrong: list[KnownWrong]


def load_referral_lists(path: Path = LISTS_PATH) -> ReferralLists:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return ReferralLists(
        dev=[tuple(pair) for pair in raw["dev_referrals"]],
        not_referred=list(raw["dev_not_referred"]),
        check=[tuple(pair) for pair in raw["check_referrals"]],
        known_wrong=[KnownWrong(**entry) for entry in raw["known_wrong"]],
    )


def names_expected(item_name: str, fragment: str) -> bool:
    return any(part in item_name for part in fragment.split("|"))


@dataclass(frozen=True)
class Outcomes:
    right: list[str]
    wrong: list[tuple[str, str]]  # (question, the item it was referred to)
    missed: list[str]

    @property
    def recall(self) -> float:
        total = len(self.right) + len(self.wrong) + len(self.missed)
        return len(self.right) / total if total else 0.0


def outcomes(referred_to: Referrer, questions: list[Question]) -> Outcomes:
    right, wrong, missed = [], [], []
    for question, fragment in questions:
        item_name = referred_to(question)
        if item_name is None:
            missed.append(question)
        elif names_expected(item_name, fragment):
            right.append(question)
        else:
            wrong.append((question, item_name))
    return Outcomes(right, wrong, missed)


def service_referrer(session: Session) -> Referrer:
    """What the service does: refer() with its threshold, after the hall's catalogue."""
    return lambda text: found.item_name if (found := refer(session, text)) else None


def top_hit_referrer(index: ReferralIndex) -> Referrer:
    """Baseline: the directory's best item, whatever its score and whatever the catalogue holds."""
    return lambda text: hits[0].item.name if (hits := index.rank(text, limit=1)) else None


def shared_characters_referrer(index: ReferralIndex) -> Referrer:
    """Baseline: the item whose name shares the most distinct characters with the text (ties: the
    name with fewer characters), whenever one shares any."""
    names = [(item.name, frozenset(compact(item.name))) for item in index.items]

    def referred_to(text: str) -> str | None:
        chars = frozenset(compact(text))
        name, name_chars = max(names, key=lambda entry: (len(entry[1] & chars), -len(entry[1])))
        return name if name_chars & chars else None

    return referred_to


def measure(referred_to: Referrer, lists: ReferralLists) -> dict:
    return {
        "dev": outcomes(referred_to, lists.dev),
        "check": outcomes(referred_to, lists.check),
        "chat_referred": [text for text in lists.not_referred if referred_to(text)],
    }


def why_missed(session: Session, index: ReferralIndex, questions: list[str]) -> tuple[dict[str, str], list[str]]:
    """The questions refer() left alone: those the hall's catalogue kept (with its top item), and
    those whose best reference item scores below the threshold."""
    below = [q for q in questions if not (hits := index.rank(q, limit=1)) or hits[0].score < REFERRAL_THRESHOLD]
    catalogue = get_search_index(session)
    kept = {q: catalogue.search(q, limit=1)[0].name for q in questions if q not in below}
    return kept, below


def print_table(results: dict[str, dict]) -> None:
    print(f"{'':16}" + "".join(f"{name:>24}" for name in results))
    for list_name in ("dev", "check"):
        for row in ("right", "wrong", "missed"):
            counts = (len(getattr(r[list_name], row)) for r in results.values())
            print(f"{list_name + ' ' + row:16}" + "".join(f"{count:>24}" for count in counts))
        print(f"{list_name + ' recall':16}" + "".join(f"{r[list_name].recall:>24.3f}" for r in results.values()))
    print(f"{'chat referred':16}" + "".join(f"{len(r['chat_referred']):>24}" for r in results.values()))


def main() -> int:
    lists = load_referral_lists()
    index = get_referral_index()
    with get_session_factory()() as session:
        results = {
            "referral": measure(service_referrer(session), lists),
            "top hit, no threshold": measure(top_hit_referrer(index), lists),
            "most shared chars": measure(shared_characters_referrer(index), lists),
        }
        ours = results["referral"]
        kept, below = why_missed(session, index, [*ours["dev"].missed, *ours["check"].missed])

    print(f"{LISTS_PATH.relative_to(REPO_ROOT)}: {len(lists.dev)} dev questions, {len(lists.check)} check "
          f"questions (written after the threshold), {len(lists.not_referred)} chat and complaint texts")
    print(f"referral: refer(), threshold {REFERRAL_THRESHOLD}, after the catalogue of the service's database")
    print("baselines, with no threshold and no catalogue: the reference directory's top hit; the reference item "
          "whose name shares the most characters with the question")
    print_table(results)
    known = {k.question: k.reason for k in lists.known_wrong}
    print("\nreferral, wrong:")
    for question, item_name in [*ours["dev"].wrong, *ours["check"].wrong]:
        print(f"  {question} → {item_name}" + (f"  (known: {known[question]})" if question in known else ""))
    for part in ("dev", "check"):
        missed = ours[part].missed
        print(f"referral, {part} missed: {sum(q in kept for q in missed)} kept by the hall's catalogue, "
              f"{sum(q in below for q in missed)} below the threshold")
    print("kept by the hall's catalogue:")
    for question, item_name in kept.items():
        print(f"  {question} → catalogue: {item_name}")
    print("below the threshold: " + "; ".join(below))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
