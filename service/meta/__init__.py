"""The service's vocabularies for the pages (GET /api/meta): states, types and actions with their labels."""
