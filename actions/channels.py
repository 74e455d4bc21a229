"""Which channel a conversation comes through, as the service names it.

WeChat's conversations reach Rasa through the service's relay as "wechat:<openid>"; every other
one is the web chat's (or a REST client's, which the service treats the same way).
"""

from __future__ import annotations

from rasa_sdk import Tracker

WECHAT_PREFIX = "wechat:"


def channel_of(tracker: Tracker) -> str:
    return "wechat" if tracker.sender_id.startswith(WECHAT_PREFIX) else "web"
