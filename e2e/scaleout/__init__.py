"""Scale-out suite (scripts/scaleout-test)."""
