"""Sample out_of_scope NLU examples from the licensed CrossWOZ and KdConv corpora.

Writes data/nlu/real_style/out_of_scope_corpora.yml. Standard library only; re-runnable with
the same result (fixed seed). A maintainer's tool: no test, make target or run-time code calls it.

    python3 scripts/sample_corpora.py CORPUS_DIR

CORPUS_DIR holds crosswoz_user_utterances.jsonl and kdconv_utterances.tsv (origins and licences:
data/SOURCES.md).
"""

import argparse
import json
import random
import re
import unicodedata
from pathlib import Path

SEED = 20261122
PER_CORPUS = 350
MIN_CHARS = 6

REPO = next(p for p in Path(__file__).resolve().parents if (p / "domain.yml").is_file())
NLU_DIR = REPO / "data" / "nlu"
DEFAULT_OUT = NLU_DIR / "real_style" / "out_of_scope_corpora.yml"

# Texts that name a government matter or a hotline request word would contradict the label.
GOVERNMENT_WORDS = re.compile(
    "投诉|举报|建议|求助|身份证|户口|户籍|社保|公积金|医保|派出所|政府|政务|办理|办证|证件|护照"
    "|驾照|驾驶证|签证|营业执照|执照|12345|市长|领导|罚款|违章|交警|警察|低保|补贴|审批|窗口"
)
# Rasa reads [text](entity) and [text]{...} as annotations; drop the brackets.
ANNOTATION_CHARS = re.compile(r"[\[\]{}]")
ENTITY_MARKUP = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")

HEADER = """\
version: "3.1"

# out_of_scope examples sampled from two licensed corpora by .sample_corpora.py
# (seed {seed}, {per} texts from each, texts of {min_chars}+ characters; see data/SOURCES.md).
#
# CrossWOZ: Qi Zhu, Kaili Huang, Zheng Zhang, Xiaoyan Zhu, Minlie Huang,
#   "CrossWOZ: A Large-Scale Chinese Cross-Domain Task-Oriented Dialogue Dataset", TACL 2020.
#   https://github.com/thu-coai/CrossWOZ, Apache License 2.0 (data/licenses/).
#   User turns of the val and test splits; turns whose dialogue acts are only
#   General greet/thank/bye were skipped.
# KdConv: Hao Zhou, Chujie Zheng, Kaili Huang, Minlie Huang, Xiaoyan Zhu,
#   "KdConv: A Chinese Multi-domain Dialogue Dataset Towards Multi-turn Knowledge-driven
#   Conversation", ACL 2020. https://github.com/thu-coai/KdConv, Apache License 2.0 (data/licenses/).
#   Turns of the film, music and travel dev and test splits.
# The first {per} examples below are CrossWOZ user turns, the next {per} KdConv turns.
# Modified: whitespace collapsed, brackets and control characters removed; texts naming a
# government matter and texts already in data/nlu were skipped. Do not edit by hand: re-run the script.
nlu:
- intent: out_of_scope
  examples: |
"""


def clean(text):
    """One line of plain text that a YAML block scalar and Rasa's reader keep as it is."""
    text = "".join(
        " " if unicodedata.category(ch) in ("Zs", "Zl", "Zp", "Cc") else ch
        for ch in text
        if unicodedata.category(ch) not in ("Cf", "Co", "Cs", "Cn")
    )
    text = ANNOTATION_CHARS.sub("", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text.lstrip("-#|>*&!%@`'\" ").strip()


def existing_examples(out_path):
    """Plain texts of every example already in data/nlu (the output file excepted)."""
    texts = set()
    for path in NLU_DIR.rglob("*.yml"):
        if path.resolve() == out_path.resolve():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith("- ") and not stripped.startswith(("- intent:", "- regex:", "- lookup:", "- synonym:")):
                texts.add(ENTITY_MARKUP.sub(r"\1", stripped[2:]).strip())
    return texts


def usable(text, seen):
    return len(text) >= MIN_CHARS and not GOVERNMENT_WORDS.search(text) and text not in seen


def is_only_social(dialog_act):
    return bool(dialog_act) and all(
        act[0] == "General" and act[1] in ("greet", "thank", "bye") for act in dialog_act
    )


def crosswoz_texts(path):
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if not is_only_social(row.get("dialog_act") or []):
                yield row["text"]


def kdconv_texts(path):
    with path.open(encoding="utf-8") as handle:
        next(handle)  # header
        for line in handle:
            yield line.rstrip("\n").split("\t")[0]


def sample(texts, seen, rng):
    pool = []
    for raw in texts:
        text = clean(raw)
        if usable(text, seen) and text not in pool:
            pool.append(text)
    chosen = rng.sample(pool, PER_CORPUS)
    seen.update(chosen)
    return chosen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus_dir", type=Path, help="folder with the two corpus files")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    rng = random.Random(SEED)
    seen = existing_examples(args.out)
    crosswoz = sample(crosswoz_texts(args.corpus_dir / "crosswoz_user_utterances.jsonl"), seen, rng)
    kdconv = sample(kdconv_texts(args.corpus_dir / "kdconv_utterances.tsv"), seen, rng)

    lines = [HEADER.format(seed=SEED, per=PER_CORPUS, min_chars=MIN_CHARS)]
    lines.extend(f"    - {text}\n" for text in crosswoz + kdconv)
    args.out.write_text("".join(lines), encoding="utf-8")
    print(f"wrote {len(crosswoz)} CrossWOZ and {len(kdconv)} KdConv examples to {args.out}")


if __name__ == "__main__":
    main()
