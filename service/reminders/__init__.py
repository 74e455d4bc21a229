"""Reminders the day before a booking, through the channel it was made in (WeChat) or by SMS."""
