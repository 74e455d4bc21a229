"""Typed settings read from the environment (no prefix); one cached object per process."""

from datetime import datetime
from functools import lru_cache
from pathlib import Path

from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


def _under_repo(path: Path) -> Path:
    # Relative paths mean "relative to the repo root", so the CLI works from any directory.
    return path if path.is_absolute() else REPO_ROOT / path


DEV_STAFF_TOKEN = "dev-staff-token"
DEV_BOT_TOKEN = "dev-bot-token"
DEV_ID_HASH_KEY = "dev-id-hash-key"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=REPO_ROOT / ".env", extra="ignore")

    DATABASE_URL: str = "sqlite:///var/service.db"
    RASA_URL: str = "http://127.0.0.1:5005"
    RASA_TIMEOUT_S: float = 2.0
    # Rasa's --auth-token, added to the service's calls of Rasa's HTTP API (parse, conversations);
    # set it whenever Rasa's port is reachable from elsewhere (`make run` passes it to Rasa).
    RASA_TOKEN: str | None = None
    # Pausing, resuming and asking for a rating run a custom action: allow longer than a parse.
    RASA_CONVERSATION_TIMEOUT_S: float = 10.0
    # The Rasa server as the citizen's browser reaches it (web chat); RASA_URL when unset.
    RASA_PUBLIC_URL: str | None = None
    SEED_DIR: Path = Path("service/seed")
    JIEBA_DICT_PATH: Path = Path("bot/jieba/userdict.txt")
    NLU_LOOKUP_PATH: Path = Path("data/nlu/lookups/service_item.yml")
    MAX_TEXT_CHARS: int = 1000
    ENVIRONMENT: str = "development"
    # Pre-registration (预约). Both secrets must be set outside development.
    STAFF_TOKEN: str = DEV_STAFF_TOKEN
    # The bot's (Rasa and action server) token for conversation endpoints; the same BOT_TOKEN there.
    BOT_TOKEN: str = DEV_BOT_TOKEN
    ID_HASH_KEY: str = DEV_ID_HASH_KEY
    TIMEZONE: str = "Asia/Shanghai"
    # Fixes the booking clock (tests, demos); naive values are read in TIMEZONE.
    FIXED_NOW: datetime | None = None
    BOOKING_DAYS_AHEAD: int = 14
    CALENDAR_PATH: Path = Path("service/seed/calendar.yaml")
    MAX_BODY_BYTES: int = 16 * 1024
    # WeChat Official Account (公众号) callbacks at /wechat; off while WECHAT_TOKEN is empty.
    WECHAT_APP_ID: str = ""
    WECHAT_TOKEN: str = ""
    # Safe mode (安全模式) only; 43 characters, from the account's basic configuration page.
    WECHAT_ENCODING_AES_KEY: str = ""
    # For the customer-service message API (answers later than WECHAT_PASSIVE_REPLY_S).
    WECHAT_APP_SECRET: str = ""
    WECHAT_API_BASE: str = "https://api.weixin.qq.com"
    # WeChat waits 5 s for a passive reply; slower answers go through the customer-service API.
    WECHAT_PASSIVE_REPLY_S: float = 4.0
    # How long one conversation turn may take before the citizen is told to try again.
    WECHAT_BOT_TIMEOUT_S: float = 30.0
    # 12345 work orders (工单): reply deadlines by type and urgency.
    TICKETS_CONFIG_PATH: Path = Path("service/seed/tickets.yaml")

    @field_validator("DATABASE_URL")
    @classmethod
    def _anchor_sqlite_path(cls, url: str) -> str:
        prefix = "sqlite:///"
        if url.startswith(prefix) and url != prefix and not url.startswith(prefix + "/"):
            rest = url[len(prefix):]
            if not rest.startswith(":memory:"):
                return prefix + str(REPO_ROOT / rest)
        return url

    @field_validator("SEED_DIR", "JIEBA_DICT_PATH", "NLU_LOOKUP_PATH", "CALENDAR_PATH", "TICKETS_CONFIG_PATH")
    @classmethod
    def _anchor_path(cls, path: Path) -> Path:
        return _under_repo(path)

    @field_validator("RASA_URL", "RASA_PUBLIC_URL")
    @classmethod
    def _strip_slash(cls, url: str | None) -> str | None:
        return url.rstrip("/") if url else None

    @model_validator(mode="after")
    def _no_default_secrets_outside_development(self) -> "Settings":
        if self.ENVIRONMENT != "development":
            defaults = [
                name
                for name, default in (
                    ("STAFF_TOKEN", DEV_STAFF_TOKEN), ("BOT_TOKEN", DEV_BOT_TOKEN), ("ID_HASH_KEY", DEV_ID_HASH_KEY)
                )
                if getattr(self, name) == default
            ]
            if defaults:
                raise ValueError(f"set {', '.join(defaults)}: defaults are for ENVIRONMENT=development only")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
