"""Entry point of the Rasa server: `python -m bot.server run ...` is `rasa run ...` plus four changes.

1. A short reply that picks one of the buttons the bot just offered ("2", "第二个", "确认提交")
   is parsed as that button's payload, in every channel (bot/replies.py).
2. Rasa 3.6 checks every action server response with `jsonschema.validate`, which first
   re-validates Rasa's own large, constant schema against the JSON Schema metaschema. On this
   2-core machine that was about half of a catalogue turn's time (`make bench`, py-spy). The fix
   compiles the validator once; responses are validated against the same schema as before.
3. Rasa 3.6 opens a new HTTP session, and so a new connection, for every custom action call
   (`EndpointConfig.request`). Each endpoint keeps one session open instead, so calls reuse
   kept-alive connections (about 0.3 ms of the server's CPU per call, `make bench`).
4. Its log records are masked as they are made (common/log_masking.py): Rasa logs a citizen's text
   when a REST message times out, ID and mobile numbers included.
5. A message the client sends again after its first copy was stored is answered with that copy's
   stored replies, not run as a second turn (bot/resent_messages.py).
"""

from __future__ import annotations

import sys
from typing import Any, Dict, Text

from common.log_masking import install_record_masking


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


class _KeptOpen:
    """`async with` that hands out a session and leaves it open for the next call."""

    def __init__(self, session: Any) -> None:
        self._session = session

    async def __aenter__(self) -> Any:
        return self._session

    async def __aexit__(self, *exc_info: Any) -> None:
        return None


def install_kept_alive_endpoint_sessions() -> None:
    import asyncio

    from rasa.utils.endpoints import EndpointConfig

    new_session = EndpointConfig.session

    def kept_session(self: EndpointConfig) -> _KeptOpen:
        # One session per endpoint and event loop, made the way Rasa makes each of them
        # (headers, basic auth, timeout), and made again if it was closed.
        loop = asyncio.get_running_loop()
        session, made_in = getattr(self, "_kept_session", (None, None))
        if session is None or session.closed or made_in is not loop:
            session = new_session(self)
            self._kept_session = (session, loop)
        return _KeptOpen(session)

    EndpointConfig.session = kept_session


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


def install_resent_message_replies() -> None:
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.processor import MessageProcessor

    from bot.resent_messages import resent_id, stored_replies

    handle = MessageProcessor.handle_message

    async def handle_message(self, message):
        # Under the conversation's lock (Agent.handle_message): a first copy still running elsewhere
        # has been stored by now, or never will be.
        client_id = resent_id(message.metadata)
        tracker = await self.tracker_store.retrieve(message.sender_id) if client_id else None
        replies = stored_replies((e.as_dict() for e in tracker.events), client_id) if tracker else None
        if replies is None:
            return await handle(self, message)
        for reply in replies:
            await message.output_channel.send_response(message.sender_id, reply)
        return message.output_channel.messages if isinstance(message.output_channel, CollectingOutputChannel) else None

    MessageProcessor.handle_message = handle_message


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
    install_record_masking()
    install_button_replies()
    install_resent_message_replies()
    install_compiled_action_response_validator()
    install_kept_alive_endpoint_sessions()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
