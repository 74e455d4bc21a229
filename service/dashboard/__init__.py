"""The operators' dashboard (/dashboard): conversations, outcomes, items asked and missing, handoffs,
work orders' deadlines, bookings and no-shows, 好差评, each chart's data also as CSV."""
