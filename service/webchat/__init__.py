"""The web chat's outbox: messages for a web chat conversation that its page fetches."""
