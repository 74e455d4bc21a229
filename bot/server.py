"""Entry point of the Rasa server: `python -m bot.server run ...` is `rasa run ...` plus two changes.

1. A short reply that picks one of the buttons the bot just offered ("2", "第二个", "确认提交")
   is parsed as that button's payload, in every channel (bot/replies.py).
2. Rasa 3.6 checks every action server response with `jsonschema.validate`, which first
   re-validates Rasa's own large, constant schema against the JSON Schema metaschema. On this
   2-core machine that was about half of a catalogue turn's time (`make bench`, py-spy). The fix
   compiles the validator once; responses are validated against the same schema as before.
"""

from __future__ import annotations

import sys
from typing import Any, Dict, Text


def install_compiled_action_response_validator() -> None:
    from jsonschema import ValidationError, validators
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator = validators.validator_for(schema)(schema)

    def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        try:
            validator.validate(result)
        except ValidationError as error:
            error.message += (
                ". Failed to validate Action server response from API, make sure your "
                "response from the Action endpoint is valid. For more information about the "
                f"format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise
        return True

    RemoteAction._validate_action_result = validate_action_result


def install_button_replies() -> None:
    import copy

    from rasa.core.processor import MessageProcessor

    from bot.replies import last_buttons, picked_payload

    parse = MessageProcessor.parse_message

    async def parse_message(self, message, tracker=None, only_output_properties=True):
        payload = None
        if tracker is not None:
            payload = picked_payload(message.text, last_buttons(e.as_dict() for e in tracker.events))
        if payload is None:
            return await parse(self, message, tracker, only_output_properties)
        picked = copy.copy(message)
        picked.text = payload
        parsed = await parse(self, picked, tracker, only_output_properties)
        parsed["text"] = message.text  # the conversation keeps what the citizen typed
        return parsed

    MessageProcessor.parse_message = parse_message


def refuse_to_run_without_secrets(argv: list[str]) -> None:
    """`rasa run` relays with BOT_TOKEN and guards its HTTP API with RASA_TOKEN: both are needed
    outside development, and the server stops at once, naming them, rather than at the first turn."""
    from common.deployment import MissingSecret, require_secret

    if argv[1:2] != ["run"]:
        return
    try:
        for name in ("BOT_TOKEN", "RASA_TOKEN"):
            require_secret(name)
    except MissingSecret as missing:
        raise SystemExit(f"Rasa server: {missing}") from None


def main() -> None:
    refuse_to_run_without_secrets(sys.argv)
    install_button_replies()
    install_compiled_action_response_validator()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
