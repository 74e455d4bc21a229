"""Clients of the outside systems the actions talk to (only the service, for now)."""
