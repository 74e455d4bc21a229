"""Every conversation turn's outcome (what the bot did with a citizen's message), masked, for review and the dashboard."""
