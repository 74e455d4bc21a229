"""Custom actions of 导办助手, run by the rasa-sdk action server (port 5055).

One module per user goal; pure helpers (no rasa-sdk import) live beside them.
"""

from common.deployment import MissingSecret

from actions.settings import get_settings

# rasa-sdk imports this package when the action server starts: the one moment to refuse to run
# without its secrets, rather than at the first conversation.
try:
    get_settings()
except MissingSecret as missing:
    raise SystemExit(f"action server: {missing}") from None
