"""Which secrets a process needs, and the rule that only an explicit development mode may run
without them. The service, the action server and the Rasa server's tracker store share it."""

from __future__ import annotations

import os
from collections.abc import Mapping

DEVELOPMENT = "development"

# Known to everyone who reads this repository: accepted only with ENVIRONMENT=development.
DEVELOPMENT_SECRETS = {
    "STAFF_TOKEN": "dev-staff-token",
    "BOT_TOKEN": "dev-bot-token",
    "ID_HASH_KEY": "dev-id-hash-key",
}


class MissingSecret(RuntimeError):
    """A secret is unset, empty or the development default outside development."""


def is_development(environ: Mapping[str, str] = os.environ) -> bool:
    return environ.get("ENVIRONMENT", "").strip() == DEVELOPMENT


def missing_secrets(values: Mapping[str, str | None], *, development: bool) -> list[str]:
    """The names among `values` that may not be used: empty, or a development default outside development."""
    if development:
        return []
    return [
        name
        for name, value in values.items()
        if not (value or "").strip() or value == DEVELOPMENT_SECRETS.get(name)
    ]


def refusal(names: list[str]) -> str:
    return (
        f"refusing to start: set {', '.join(names)} (no default outside ENVIRONMENT=development; "
        "see .env.example)"
    )


def require_secret(name: str, environ: Mapping[str, str] = os.environ) -> str:
    """The secret's value, or in development its default ("" for one without, such as RASA_TOKEN);
    MissingSecret outside development when it is unset, empty or a development default."""
    development = is_development(environ)
    value = environ.get(name) or (DEVELOPMENT_SECRETS.get(name, "") if development else "")
    if missing_secrets({name: value}, development=development):
        raise MissingSecret(refusal([name]))
    return value
