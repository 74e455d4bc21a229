"""The one rule for secrets that the service, the action server and the Rasa server share."""

import pytest

from common.deployment import MissingSecret, is_development, missing_secrets, require_secret


def test_development_must_be_named():
    assert is_development({"ENVIRONMENT": "development"})
    assert not is_development({})
    assert not is_development({"ENVIRONMENT": "dev"})


def test_outside_development_empty_and_known_values_are_missing():
    values = {"BOT_TOKEN": "dev-bot-token", "STAFF_TOKEN": " ", "ID_HASH_KEY": "k", "RASA_TOKEN": None}
    assert missing_secrets(values, development=False) == ["BOT_TOKEN", "STAFF_TOKEN", "RASA_TOKEN"]
    assert missing_secrets(values, development=True) == []


def test_require_secret():
    assert require_secret("BOT_TOKEN", {"ENVIRONMENT": "development"}) == "dev-bot-token"
    assert require_secret("RASA_TOKEN", {"ENVIRONMENT": "development"}) == ""
    assert require_secret("BOT_TOKEN", {"BOT_TOKEN": "s3cret"}) == "s3cret"
    with pytest.raises(MissingSecret, match="set BOT_TOKEN"):
        require_secret("BOT_TOKEN", {})
    with pytest.raises(MissingSecret, match="set RASA_TOKEN"):
        require_secret("RASA_TOKEN", {"ENVIRONMENT": "production"})
