"""The 12345 hotline agents' console page (/console)."""
