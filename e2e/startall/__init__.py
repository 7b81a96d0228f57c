"""scripts/start-all end to end."""
