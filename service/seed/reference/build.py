"""Rebuild this folder's data from the source data: `python service/seed/reference/build.py SOURCE_DIR`.

A maintainer's tool: no test, make target or run-time code calls it, and a user's clone needs none
of its input (SOURCE_DIR holds data/ and catalogue/ as described in SOURCES.md here).

Writes, next to this file:
- guangdong_service_guides.jsonl.xz: data/guangdong_service_guides.jsonl, unchanged, xz-compressed;
- guangdong_guides.jsonl: the referral fields of data/guangdong_service_guides.jsonl,
  without the news entries and without repeated (name, department, level) rows;
- guangan_item_names.tsv: catalogue/reference_item_names.tsv, byte for byte;
- MIT_Clarence-Kong_QABasedOnPolicyKnowledgeGraph.txt and APACHE-2.0.txt: the licence texts, byte for byte.
Standard library only; not used at run time (service/catalogue/referral.py reads the output).
"""

import argparse
import json
import lzma
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# How the export's fields are written is the catalogue importer's knowledge (stdlib only).
sys.path.insert(0, str(HERE.parents[2]))
from service.catalogue.guide_fields import clean, daily_words, is_news  # noqa: E402

GUIDES = "data/guangdong_service_guides.jsonl"
ITEM_NAMES = "catalogue/reference_item_names.tsv"
MIT = "data/licenses/MIT_Clarence-Kong_QABasedOnPolicyKnowledgeGraph.txt"
# The standard Apache-2.0 text (the same file CrossWOZ and KdConv ship); v-luobo/zwfw's licence.
APACHE = "data/licenses/Apache-2.0_thu-coai_CrossWOZ_KdConv.txt"

GUIDES_OUT = "guangdong_service_guides.jsonl.xz"  # the whole export, unchanged, for import-guides
REFERRAL_OUT = "guangdong_guides.jsonl"
# Copied byte for byte: (path in SOURCE_DIR, file name here).
COPIES = (
    (ITEM_NAMES, "guangan_item_names.tsv"),
    (MIT, Path(MIT).name),
    (APACHE, "APACHE-2.0.txt"),
)


def guide_record(row: dict) -> dict:
    return {
        "name": clean(row["matter_name"]) or clean(row["TASK_NAME"]),
        "short": clean(row["matter_short"]),
        "daily": daily_words(row["matter_daily"]),
        "department": clean(row["DEPT_NAME"]),
        "level": clean(row["matter_level"]),
        "type": clean(row["TASK_TYPE_TEXT"]),
        "location": clean(row["handle_location"]),
        "phone": clean(row["consult_phone"]),
    }


def build_guides(source: Path, target: Path) -> tuple[int, int, int]:
    """(source rows, news rows dropped, repeated rows dropped); the first of a repeat is kept."""
    seen: set[tuple[str, str, str]] = set()
    total = news = repeats = 0
    with source.open(encoding="utf-8") as rows, target.open("w", encoding="utf-8", newline="\n") as out:
        for line in rows:
            row = json.loads(line)
            total += 1
            if is_news(row):
                news += 1
                continue
            record = guide_record(row)
            key = (record["name"], record["department"], record["level"])
            if key in seen:
                repeats += 1
                continue
            seen.add(key)
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    return total, news, repeats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the source data folder (holds data/ and catalogue/)")
    source_dir = parser.parse_args().source
    total, news, repeats = build_guides(source_dir / GUIDES, HERE / REFERRAL_OUT)
    print(f"{REFERRAL_OUT}: {total - news - repeats} of {total} rows ({news} news, {repeats} repeats dropped)")
    export = (source_dir / GUIDES).read_bytes()
    (HERE / GUIDES_OUT).write_bytes(lzma.compress(export, preset=9 | lzma.PRESET_EXTREME))
    print(f"{GUIDES_OUT}: {GUIDES} compressed, unchanged")
    for source, target in COPIES:
        shutil.copyfile(source_dir / source, HERE / target)
        print(f"{target}: copied from {source}")


if __name__ == "__main__":
    main()
