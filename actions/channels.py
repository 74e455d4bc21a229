"""Which channel a conversation comes through, as the service names it (common/channels.py)."""

from __future__ import annotations

from rasa_sdk import Tracker

from common.channels import channel_of_sender


def channel_of(tracker: Tracker) -> str:
    return channel_of_sender(tracker.sender_id)
