"""The shared kernel: settings, database, clock and working-day calendar, personal-data patterns
and masking, column and counter helpers, errors and wording. Imports nothing from the domains."""
