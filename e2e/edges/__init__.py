"""Edge cases of the contract (CONTRACT §11), each on SQLite and PostgreSQL: run by scripts/edges-test."""
