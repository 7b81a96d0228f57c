"""Drift checks of the deploy files (scripts/deploy-check)."""
