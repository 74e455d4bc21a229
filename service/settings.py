"""Typed settings read from the environment (no prefix); one cached object per process."""

from functools import lru_cache
from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]


def _under_repo(path: Path) -> Path:
    # Relative paths mean "relative to the repo root", so the CLI works from any directory.
    return path if path.is_absolute() else REPO_ROOT / path


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=REPO_ROOT / ".env", extra="ignore")

    DATABASE_URL: str = "sqlite:///var/service.db"
    RASA_URL: str = "http://127.0.0.1:5005"
    RASA_TIMEOUT_S: float = 2.0
    SEED_DIR: Path = Path("service/seed")
    JIEBA_DICT_PATH: Path = Path("bot/jieba/userdict.txt")
    NLU_LOOKUP_PATH: Path = Path("data/nlu/lookups/service_item.yml")
    MAX_TEXT_CHARS: int = 1000
    ENVIRONMENT: str = "development"

    @field_validator("DATABASE_URL")
    @classmethod
    def _anchor_sqlite_path(cls, url: str) -> str:
        prefix = "sqlite:///"
        if url.startswith(prefix) and url != prefix and not url.startswith(prefix + "/"):
            rest = url[len(prefix):]
            if not rest.startswith(":memory:"):
                return prefix + str(REPO_ROOT / rest)
        return url

    @field_validator("SEED_DIR", "JIEBA_DICT_PATH", "NLU_LOOKUP_PATH")
    @classmethod
    def _anchor_path(cls, path: Path) -> Path:
        return _under_repo(path)

    @field_validator("RASA_URL")
    @classmethod
    def _strip_slash(cls, url: str) -> str:
        return url.rstrip("/")


@lru_cache
def get_settings() -> Settings:
    return Settings()
