"""Makes `support` importable for every Python suite under e2e/, and ends every run with how many
HTTP exchanges openapi-core checked against the services' documents (support/openapi_check.py)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_terminal_summary(terminalreporter):
    from support.openapi_check import COUNTS
    line = COUNTS.summary()
    if line:
        terminalreporter.write_line(line)
