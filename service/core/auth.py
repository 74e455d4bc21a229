"""Bearer tokens: STAFF_TOKEN for staff and agent endpoints, BOT_TOKEN for the bot's conversation calls."""

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.core import templates as t
from service.core.settings import get_settings

_bearer = HTTPBearer(auto_error=False)


def _check(credentials: HTTPAuthorizationCredentials | None, expected: str, refusal: str) -> None:
    token = expected.encode("utf-8")
    if credentials is None or not secrets.compare_digest(credentials.credentials.encode("utf-8"), token):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=refusal, headers={"WWW-Authenticate": "Bearer"})


def require_staff(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    _check(credentials, get_settings().STAFF_TOKEN, t.STAFF_UNAUTHORIZED)


def require_bot(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """The bot's own calls about a conversation (relayed citizen messages, ratings, its orders)."""
    _check(credentials, get_settings().BOT_TOKEN, t.BOT_UNAUTHORIZED)


def is_bot(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> bool:
    """Whether the bot makes this call: routes open to citizens allow the bot a little more."""
    return credentials is not None and secrets.compare_digest(
        credentials.credentials.encode("utf-8"), get_settings().BOT_TOKEN.encode("utf-8")
    )


def only_the_bot_names_conversations(conversation_id: str | None, bot: bool) -> None:
    """A conversation id stands in for proof of who someone is: only the bot may give one."""
    if conversation_id is not None and not bot:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=t.CONVERSATION_PROOF_BOT_ONLY)


BotCaller = Annotated[bool, Depends(is_bot)]
