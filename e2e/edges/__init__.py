"""Edge cases of the contract (docs/contract.md §11), each on SQLite and PostgreSQL: run by scripts/edges-test."""
