"""Typed settings read from the environment (no prefix); one cached object per process."""

from datetime import datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from common.deployment import DEVELOPMENT, DEVELOPMENT_SECRETS, missing_secrets, refusal

REPO_ROOT = Path(__file__).resolve().parents[2]


def _under_repo(path: Path) -> Path:
    # Relative paths mean "relative to the repo root", so the CLI works from any directory.
    return path if path.is_absolute() else REPO_ROOT / path




class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=REPO_ROOT / ".env", extra="ignore")

    DATABASE_URL: str = "sqlite:///var/service.db"
    RASA_URL: str = "http://127.0.0.1:5005"
    RASA_TIMEOUT_S: float = 2.0
    # Rasa's --auth-token, sent with each of the service's calls of Rasa (the REST webhook ignores it);
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
    # How often a process looks whether the catalogue was imported (by the CLI or another worker)
    # since it built its search indexes and notices; a re-seed reaches every worker within this.
    CATALOGUE_CHECK_S: float = 1.0
    # Development must be asked for (make run and make test do): anything else is production.
    ENVIRONMENT: str = "production"
    # The secrets below, and RASA_TOKEN, must be set outside development.
    STAFF_TOKEN: str = DEVELOPMENT_SECRETS["STAFF_TOKEN"]
    # The bot's (Rasa and action server) token for conversation endpoints; the same BOT_TOKEN there.
    BOT_TOKEN: str = DEVELOPMENT_SECRETS["BOT_TOKEN"]
    ID_HASH_KEY: str = DEVELOPMENT_SECRETS["ID_HASH_KEY"]
    TIMEZONE: str = "Asia/Shanghai"
    # Fixes the booking clock (tests, demos); naive values are read in TIMEZONE.
    FIXED_NOW: datetime | None = None
    BOOKING_DAYS_AHEAD: int = 14
    # Each hall may set its own in halls.yaml (policy:); these are the defaults.
    BOOKING_MAX_RESCHEDULES: int = 2
    BOOKING_NO_SHOW_LIMIT: int = 3
    BOOKING_NO_SHOW_WINDOW_DAYS: int = 90
    BOOKING_SUSPENSION_DAYS: int = 30
    BOOKING_REMINDER_AT: time = time(16, 0)
    # Wrong phones for one booking code, order or case number: after this many within the window the
    # number is refused (429) until the window has passed, counted in the database by every worker.
    PROOF_GUESS_LIMIT: int = 5
    PROOF_GUESS_WINDOW_S: float = 900.0
    # How often the due reminders (the day before a booking) are looked for.
    REMINDER_SWEEP_S: float = 60.0
    # How often cases past their promised deadline are flagged (超时默认).
    CASE_OVERDUE_CHECK_S: float = 600.0
    # The SMS interface: "log" writes each text to the log (phone masked); "http" posts it to SMS_HTTP_URL.
    SMS_SENDER: Literal["log", "http"] = "log"
    SMS_HTTP_URL: str = ""
    SMS_HTTP_TOKEN: str = ""
    SMS_SIGNATURE: str = "【政务服务】"
    SMS_SEND_TIMEOUT_S: float = 10.0
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
    # The outbox's delivery worker runs in the service process (off in unit tests, which drive it).
    OUTBOX_WORKER: bool = True
    OUTBOX_MAX_ATTEMPTS: int = 8
    OUTBOX_BACKOFF_BASE_S: float = 1.0
    OUTBOX_BACKOFF_CAP_S: float = 300.0
    OUTBOX_POLL_S: float = 0.2
    WECHAT_SEND_TIMEOUT_S: float = 10.0
    # How often agent-held conversations are read back for citizen messages the relay missed.
    RELAY_CATCH_UP_S: float = 30.0
    # The review page's low-confidence queue: answers given on an intent or item score below this.
    REVIEW_LOW_CONFIDENCE: float = Field(default=0.6, ge=0, le=1)
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
        secrets = {name: getattr(self, name) for name in (*DEVELOPMENT_SECRETS, "RASA_TOKEN")}
        missing = missing_secrets(secrets, development=self.ENVIRONMENT.strip() == DEVELOPMENT)
        if missing:
            raise ValueError(refusal(missing))
        return self

    @model_validator(mode="after")
    def _sms_provider_configured(self) -> "Settings":
        if self.SMS_SENDER == "http" and not self.SMS_HTTP_URL.strip():
            raise ValueError("SMS_SENDER=http needs SMS_HTTP_URL (the SMS provider's endpoint)")
        return self


@lru_cache
def get_settings() -> Settings:
    """The process's settings; bad ones stop the process with what to set, not a traceback."""
    try:
        return Settings()
    except ValidationError as exc:
        reasons = "; ".join(str(error["msg"]).removeprefix("Value error, ") for error in exc.errors())
        raise SystemExit(f"service settings: {reasons}") from exc
