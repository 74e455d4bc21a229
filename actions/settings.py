"""Settings of the action server, read from the environment once, on first use."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from common.deployment import require_secret

REPO_ROOT = Path(__file__).resolve().parent.parent
HALL_FILE = REPO_ROOT / "service" / "seed" / "hall.yaml"


@dataclass(frozen=True)
class ActionSettings:
    service_url: str
    service_timeout_s: float
    max_message_chars: int
    hall_phone: str
    bot_token: str  # the service's BOT_TOKEN, for calls about this conversation's work orders
    timezone: str  # the halls' (the service's TIMEZONE): times are told to citizens in it


@functools.lru_cache(maxsize=1)
def get_settings() -> ActionSettings:
    # The hall's phone must be known even when the service is down, so it is read from the
    # same seed file the service imports rather than fetched over HTTP.
    hall = yaml.safe_load(HALL_FILE.read_text(encoding="utf-8"))
    return ActionSettings(
        service_url=os.environ.get("SERVICE_URL", "http://127.0.0.1:8000").rstrip("/"),
        service_timeout_s=float(os.environ.get("SERVICE_TIMEOUT_S", "5")),
        max_message_chars=int(os.environ.get("MAX_MESSAGE_CHARS", "1000")),
        hall_phone=str(hall["phone"]),
        bot_token=require_secret("BOT_TOKEN"),
        timezone=os.environ.get("TIMEZONE", "Asia/Shanghai"),
    )
