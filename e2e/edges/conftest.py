"""Fixtures of e2e/edges: `campus` runs a test once on SQLite and once on PostgreSQL (both servers
start together on first use and live for the whole session); `via` runs it straight against the
owning service and again through the gateway's /api routes."""
from __future__ import annotations

import pytest

from edges.harness import BACKENDS, VIAS, Campuses
import edges.harness as harness

_CAMPUSES = Campuses()


@pytest.fixture(scope="session")
def campuses() -> Campuses:
    return _CAMPUSES


@pytest.fixture(params=BACKENDS)
def campus(request, campuses):
    campus = campuses.get(request.param)
    yield campus
    crash = campuses.revive(request.param)
    if crash:
        pytest.fail(crash, pytrace=False)


@pytest.fixture(autouse=True)
def no_crash_goes_unnoticed(request, campuses):
    """Tests that use both campuses (`campuses`) are checked the same way after they ran."""
    yield
    if "campus" not in request.fixturenames:
        crashes = [crash for crash in (campuses.revive(backend) for backend in BACKENDS) if crash]
        if crashes:
            pytest.fail("\n\n".join(crashes), pytrace=False)


@pytest.fixture(params=VIAS)
def via(request) -> str:
    return request.param


def pytest_sessionfinish(session, exitstatus):
    _CAMPUSES.close()
    if harness._POSTGRES is not None:
        harness._POSTGRES.drop_all()
