"""The citizens' web chat page and the one setting it needs from the server."""
