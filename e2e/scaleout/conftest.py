"""One scaled-out cluster for the whole suite; a summary of the numbers for scripts/scaleout-test."""
from __future__ import annotations

import json
import os

import pytest

from scaleout.cluster import Cluster

SUMMARY: dict = {}


@pytest.fixture(scope="session")
def summary() -> dict:
    return SUMMARY


@pytest.fixture(scope="session")
def cluster():
    cluster = Cluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.close()


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get("SCALEOUT_SUMMARY")
    if path:
        with open(path, "w") as handle:
            json.dump(SUMMARY, handle, indent=2, sort_keys=True)
