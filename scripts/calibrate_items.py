"""Calibrate when the catalogue answers confidently, and how referral should compete with it, on
the development set tests/nlu/dev_real_style.yml (never on the held-out sets).

For each (CONFIDENT_SCORE, CONFIDENT_MARGIN) of a grid it reports, on service and booking
messages, coverage (share answered confidently) and precision (share of confident answers
whose top hit is the gold item), and the share of non-catalogue messages (outside, complaint,
out_of_scope) that would get a confident catalogue answer; strict precision counts those as
wrong too. Then top-3 recall and, when service.catalogue.referral exists, how often a referral
is found and would outscore the catalogue's top hit, and the share referred per kind for each
MATTER_KEEPS of a grid (how much a catalogue hit must score on the question without its request
words to keep it).

Runs in-process in the service environment, from the repo root:
`.venvs/svc/bin/python scripts/calibrate_items.py`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from service.catalogue import search  # noqa: E402
from service.core.db import get_session_factory  # noqa: E402

try:
    from service.catalogue import referral
    from service.catalogue.referral import refer
except ImportError:  # referral is optional: without it only the catalogue is calibrated
    referral = refer = None

DEV_SET = REPO_ROOT / "tests" / "nlu" / "dev_real_style.yml"
CATALOGUE_KINDS = {"service", "booking"}
SCORES = [round(0.45 + 0.05 * i, 2) for i in range(8)]  # 0.45 .. 0.80
MARGINS = [round(0.05 + 0.05 * i, 2) for i in range(6)]  # 0.05 .. 0.30
TOP3_MIN_SCORE = 0.25
MATTER_KEEPS_GRID = [round(0.3 + 0.05 * i, 2) for i in range(7)]  # 0.30 .. 0.60
REFERRAL_KINDS = ("service", "booking", "outside", "complaint", "out_of_scope")
TARGET_PRECISION = 0.97


@dataclass(frozen=True)
class Scored:
    kind: str
    gold: str | None  # official item name, for service and booking
    hits: list[search.SearchHit]
    referral_score: float | None  # None when no referral is found

    @property
    def top_score(self) -> float:
        return self.hits[0].score if self.hits else 0.0

    def confident(self, score: float, margin: float) -> bool:
        return search.is_confident(self.hits, score, margin)

    @property
    def referral_wins(self) -> bool:
        """A referral that outscores the catalogue's top hit ('higher score wins')."""
        return self.referral_score is not None and self.referral_score > self.top_score


def score_dev_set() -> list[Scored]:
    examples = yaml.safe_load(DEV_SET.read_text(encoding="utf-8"))["examples"]
    with get_session_factory()() as session:
        index = search.get_search_index(session)
        scored = []
        for example in examples:
            referral = refer(session, example["text"]) if refer else None
            scored.append(
                Scored(
                    kind=example["kind"],
                    gold=example.get("item"),
                    hits=index.search(example["text"], limit=3),
                    referral_score=referral.score if referral else None,
                )
            )
    return scored


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def grid_row(scored: list[Scored], score: float, margin: float) -> dict[str, float]:
    catalogue = [s for s in scored if s.kind in CATALOGUE_KINDS]
    others = [s for s in scored if s.kind not in CATALOGUE_KINDS]
    confident = [s for s in catalogue if s.confident(score, margin)]
    right = sum(s.hits[0].name == s.gold for s in confident)
    wrongly_confident = sum(s.confident(score, margin) for s in others)
    return {
        "score": score,
        "margin": margin,
        "coverage": share(len(confident), len(catalogue)),
        "precision": share(right, len(confident)),
        "non_catalogue": share(wrongly_confident, len(others)),
        "strict": share(right, len(confident) + wrongly_confident),
    }


def print_grid(rows: list[dict[str, float]]) -> None:
    current = (search.CONFIDENT_SCORE, search.CONFIDENT_MARGIN)
    print("score margin  coverage precision  confident-on-non-catalogue  strict-precision")
    for row in rows:
        mark = "  <- current" if (row["score"], row["margin"]) == current else ""
        print(
            f"{row['score']:5.2f} {row['margin']:6.2f}  {row['coverage']:8.3f} {row['precision']:9.3f}"
            f"  {row['non_catalogue']:26.3f}  {row['strict']:16.3f}{mark}"
        )


def print_recall_and_referral(scored: list[Scored]) -> None:
    catalogue = [s for s in scored if s.kind in CATALOGUE_KINDS]
    in_top3 = sum(any(h.name == s.gold and h.score >= TOP3_MIN_SCORE for h in s.hits) for s in catalogue)
    recall = share(in_top3, len(catalogue))
    print(f"\ntop-3 recall (service+booking, score >= {TOP3_MIN_SCORE}): {recall:.3f}")
    if refer is None:
        print("referral: service.catalogue.referral not found")
        return
    print("\nreferral              n  with referral  referral outscores catalogue top hit")
    for kind in REFERRAL_KINDS:
        group = [s for s in scored if s.kind == kind]
        found = sum(s.referral_score is not None for s in group)
        wins = sum(s.referral_wins for s in group)
        print(f"{kind:16} {len(group):6}  {share(found, len(group)):13.3f}  {share(wins, len(group)):36.3f}")


def print_matter_grid() -> None:
    """Share of each kind referred, for each MATTER_KEEPS of the grid (refer() reads it per call)."""
    examples = yaml.safe_load(DEV_SET.read_text(encoding="utf-8"))["examples"]
    current = referral.MATTER_KEEPS
    print("\nMATTER_KEEPS  " + "  ".join(f"{kind:>12}" for kind in REFERRAL_KINDS))
    try:
        with get_session_factory()() as session:
            for matter_keeps in MATTER_KEEPS_GRID:
                referral.MATTER_KEEPS = matter_keeps
                referred = {kind: [] for kind in REFERRAL_KINDS}
                for example in examples:
                    referred[example["kind"]].append(refer(session, example["text"]) is not None)
                mark = "  <- current" if matter_keeps == current else ""
                shares = "  ".join(f"{share(sum(r), len(r)):12.3f}" for r in referred.values())
                print(f"{matter_keeps:12.2f}  {shares}{mark}")
    finally:
        referral.MATTER_KEEPS = current


def main() -> int:
    scored = score_dev_set()
    counts = {kind: sum(s.kind == kind for s in scored) for kind in dict.fromkeys(s.kind for s in scored)}
    print(f"{DEV_SET.relative_to(REPO_ROOT)}: {counts}\n")
    rows = [grid_row(scored, score, margin) for score in SCORES for margin in MARGINS]
    print_grid(rows)
    passing = [row for row in rows if row["strict"] >= TARGET_PRECISION]
    if passing:
        best = max(passing, key=lambda row: (row["coverage"], row["strict"], -row["score"], -row["margin"]))
        print(
            f"\nhighest coverage with strict precision >= {TARGET_PRECISION}:"
            f" CONFIDENT_SCORE={best['score']:.2f} CONFIDENT_MARGIN={best['margin']:.2f}"
            f" (coverage {best['coverage']:.3f},"
            f" strict precision {best['strict']:.3f})"
        )
    else:
        top = max(row["strict"] for row in rows)
        print(f"\nno thresholds in the grid reach strict precision {TARGET_PRECISION} (best {top:.3f})")
    print_recall_and_referral(scored)
    if referral is not None:
        print_matter_grid()
    return 0


if __name__ == "__main__":
    sys.exit(main())
