"""Reading the human-edited seed YAML files, with errors that name the file and the entry."""

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError


class SeedError(ValueError):
    """Bad seed data; the message names the file and the item."""


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SeedError(f"{path.name}: not valid YAML: {exc}") from exc


def _describe(raw: Any, loc: tuple) -> str:
    """Name the entry an error is in (code and name from the raw YAML), for the error message."""
    if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
        try:
            entry = raw["items"][loc[1]]
            return f"item #{loc[1] + 1} {entry.get('code', '?')} ({entry.get('name', '?')})"
        except (KeyError, IndexError, TypeError, AttributeError):
            return f"item #{loc[1] + 1}"
    return "department" if loc and loc[0] == "department" else "file"


def format_errors(path: Path, raw: Any, exc: ValidationError) -> str:
    lines = [f"{path.name}: {exc.error_count()} error(s)"]
    for error in exc.errors():
        loc = tuple(error["loc"])
        where = ".".join(str(part) for part in loc) or "(top level)"
        lines.append(f"  - {_describe(raw, loc)}: {where}: {error['msg']}")
    return "\n".join(lines)
