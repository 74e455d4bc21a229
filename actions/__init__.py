"""Custom actions of 导办助手, run by the rasa-sdk action server (port 5055).

One module per user goal; pure helpers (no rasa-sdk import) live beside them.
"""
