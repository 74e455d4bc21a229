"""A message sent again is answered once: its first copy's replies, not a second turn.

When a Rasa server dies after storing a turn but before answering it, the client never hears back
and sends the message again (the web chat's 重试, a load balancer's caller): a second turn would
store the message twice and act on it twice ("确认" confirming again, a form asked twice). A client
names each message (`client_message_id` in the message's metadata, kept with the stored event) and
marks a copy it sends again (`resent`); the Rasa server (bot/server.py), holding the
conversation's lock, answers a resent copy whose first copy is stored with the replies stored after
it. A resent copy whose first never got stored is a new turn.

Pure apart from reading tracker events.
"""

from __future__ import annotations

from typing import Any, Iterable, Optional

from common.personal_data import mask_as_typed

CLIENT_MESSAGE_ID = "client_message_id"
RESENT = "resent"
# What a stored bot message's data may hold, as an output channel's send_response reads it.
_REPLY_PARTS = ("buttons", "quick_replies", "image", "attachment", "custom", "elements")


def resent_id(metadata: Optional[dict[str, Any]]) -> Optional[str]:
    """The client's id of a message it marks as sent again; None for any other message."""
    metadata = metadata or {}
    client_id = metadata.get(CLIENT_MESSAGE_ID)
    return client_id if metadata.get(RESENT) is True and isinstance(client_id, str) and client_id else None


def stored_replies(events: Iterable[dict[str, Any]], client_id: str) -> Optional[list[dict[str, Any]]]:
    """The replies stored after the citizen's message with this id (as send_response takes them), or
    None when no stored message has it. The store writes strings masked (bot/stored_personal_data.py),
    the id too if it looked like a number."""
    ids = {client_id, mask_as_typed(client_id)}
    replies: Optional[list[dict[str, Any]]] = None
    for event in events:
        if event.get("event") == "user":
            if replies is not None:
                break
            if (event.get("metadata") or {}).get(CLIENT_MESSAGE_ID) in ids:
                replies = []
        elif event.get("event") == "bot" and replies is not None:
            data = event.get("data") or {}
            reply = {"text": event.get("text")} | {part: data[part] for part in _REPLY_PARTS if data.get(part)}
            replies.append(reply)
    return replies
