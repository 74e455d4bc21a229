"""Who did something to a work order, as its events and transcript lines name them."""

CITIZEN = "citizen"
BOT = "bot"


def agent(name: str) -> str:
    """A hotline agent: "agent:<name>"."""
    return f"agent:{name}"
