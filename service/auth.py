"""The bearer token that guards every staff and agent endpoint (settings.STAFF_TOKEN)."""

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service import templates as t
from service.settings import get_settings

_bearer = HTTPBearer(auto_error=False)


def require_staff(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    token = get_settings().STAFF_TOKEN.encode("utf-8")
    if credentials is None or not secrets.compare_digest(credentials.credentials.encode("utf-8"), token):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, detail=t.STAFF_UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"}
        )
