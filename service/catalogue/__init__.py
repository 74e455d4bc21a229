"""The service catalogue (办事指南): items, situations, materials, departments and the hall."""
