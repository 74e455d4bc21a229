"""Which channel a conversation comes through, as the service names it, from its Rasa sender id.

WeChat's conversations reach Rasa through the service's relay as "wechat:<openid>"; every other
one is the web chat's (or a REST client's, which the service treats the same way).

Pure: standard library only.
"""

from __future__ import annotations

WECHAT_PREFIX = "wechat:"


def channel_of_sender(sender_id: str) -> str:
    return "wechat" if sender_id.startswith(WECHAT_PREFIX) else "web"
