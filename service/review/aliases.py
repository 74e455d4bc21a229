"""New aliases from the review, as a change to the catalogue's seed files that a person approves.

Aliases sit in one flow list per item (`  aliases: [过户, 房子过户]`) in
service/seed/catalogue/<department>.yaml. The proposal is computed from the labels every time:
`export-review` writes it as a unified diff, `export-review --approve` writes the same change.
An alias the item already has, or that another item has, is not proposed (the latter is reported).
"""

import difflib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from service.review.export import Example
from service.review.models import LabelKind

_CODE_LINE = re.compile(r"^- code: (?P<code>\S+)\s*$")
_ALIASES_LINE = re.compile(r"^(?P<indent>\s+)aliases: \[(?P<items>.*)\]\s*$")
_PLAIN_SCALAR = re.compile(r"^[^\s\[\]{},:#&*!|>'\"%@`-][^\[\]{},:#]*$")


@dataclass
class AliasChange:
    files: dict[Path, tuple[str, str]] = field(default_factory=dict)  # path → (before, after)
    added: dict[str, list[str]] = field(default_factory=dict)  # item code → aliases
    skipped: list[str] = field(default_factory=list)  # why a proposed alias is not added

    def diff(self) -> str:
        return "".join(
            "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), str(path), str(path)))
            for path, (before, after) in sorted(self.files.items())
        )


def proposed(examples: list[Example]) -> dict[str, list[str]]:
    wanted: dict[str, list[str]] = defaultdict(list)
    for example in examples:
        if example.kind is LabelKind.ALIAS and example.item_code and example.phrase:
            if example.phrase not in wanted[example.item_code]:
                wanted[example.item_code].append(example.phrase)
    return dict(wanted)


def alias_change(catalogue_dir: Path, wanted: dict[str, list[str]]) -> AliasChange:
    change = AliasChange()
    files = {path: path.read_text(encoding="utf-8") for path in sorted(catalogue_dir.glob("*.yaml"))}
    owners = _alias_owners(files.values())
    for path, before in files.items():
        lines = before.splitlines(True)
        code = None
        for index, line in enumerate(lines):
            if match := _CODE_LINE.match(line):
                code = match["code"]
            elif code in wanted and (match := _ALIASES_LINE.match(line)):
                new = []
                for alias in wanted.pop(code):
                    owner = owners.get(alias)
                    if owner == code:
                        continue
                    if owner is not None:
                        change.skipped.append(f"{alias}：已是 {owner} 的别名，不加到 {code}")
                        continue
                    new.append(alias)
                    owners[alias] = code
                if new:
                    items = match["items"].rstrip() + ", " + ", ".join(_scalar(a) for a in new)
                    lines[index] = f"{match['indent']}aliases: [{items}]\n"
                    change.added[code] = new
                code = None
        after = "".join(lines)
        if after != before:
            yaml.safe_load(after)  # the edit must leave the file readable
            change.files[path] = (before, after)
    change.skipped += [f"{code}：目录里没有这个事项，或它的别名不在一行上" for code in wanted]
    return change


def apply(change: AliasChange) -> None:
    for path, (_, after) in change.files.items():
        path.write_text(after, encoding="utf-8")


def _alias_owners(texts) -> dict[str, str]:
    owners = {}
    for text in texts:
        department = yaml.safe_load(text) or {}
        for item in department.get("items", []):
            for alias in [item.get("name"), *(item.get("aliases") or [])]:
                if alias:
                    owners.setdefault(str(alias), item["code"])
    return owners


def _scalar(alias: str) -> str:
    return alias if _PLAIN_SCALAR.match(alias) else json.dumps(alias, ensure_ascii=False)
