"""The web page from another folder (issue 14, point 6; README settings, docs/contract.md §11).

`PUBLIC_DIR` names the page's folder; set, it must be a folder (else start-up stops naming it).
Unset, the gateway serves the first `Public/` found in the working directory, beside the executable,
or in `<dir of the executable>/../share/campus/Public`. The page's security headers
(Content-Security-Policy, nosniff, Referrer-Policy, X-Frame-Options) are on every gateway answer,
even when no page folder is found (then `/` is a 404, and /health is fine).

Each case starts `campus serve gateway` (the only service that serves the page) from a working
directory of its own under a temporary folder, never the repository. The "installed" cases copy the
binary with the resource bundles beside it (`*.resources`, needed at run time) to `<tmp>/bin/`; the
copies of `Public/` there carry a marker, so each answer shows which folder it came from.
Run with the scale-out suite (scripts/scaleout-test runs e2e/startall), or on its own:
    cd e2e && CAMPUS_BIN=... ../.build/pyenv/bin/python -m pytest startall/test_page_folder.py
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

from support.campus import ROOT, CampusServer, campus_binary
from support.services import PORT_VARIABLE, SERVICES, answers_200, distinct_ports

PUBLIC = ROOT / "Public"
TITLE = "<title>Campus Services Hub</title>"
PAGE_HEADERS = {  # as e2e/browser/test_login.py expects them on the page
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
                               "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class Gateway(CampusServer):
    """`campus serve gateway` of a given binary, from a given working directory, PUBLIC_DIR as given (or unset)."""

    def __init__(self, binary: Path, cwd: Path, public_dir: str | None = None):
        super().__init__(services=("gateway",), cwd=cwd, log_name="page-folder")
        self.binary = binary
        self.env.pop("PUBLIC_DIR", None)
        if public_dir is not None:
            self.env["PUBLIC_DIR"] = public_dir

    def start(self, timeout: float = 60) -> "Gateway":
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([str(self.binary), "serve", *self.services], cwd=self.cwd, env=self.env,
                                        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.wait_ready(timeout)
        return self

    def get(self, path: str) -> requests.Response:  # plain: a missing page is in no document
        with requests.Session() as plain:
            plain.trust_env = False  # loopback only: never through a proxy from the environment
            return plain.get(self.url("gateway", path), timeout=15)


def assert_page(gateway: Gateway, marker: str | None = None) -> None:
    r = gateway.get("/")
    assert r.status_code == 200, f"GET / -> {r.status_code} {r.text[:200]}; log: {gateway.log_tail()}"
    assert r.headers.get("Content-Type", "").startswith("text/html"), r.headers.get("Content-Type")
    assert TITLE in r.text, r.text[:300]
    if marker:
        assert marker in r.text, f"served from another folder than the one marked {marker!r}: {r.text[:400]}"
    for header, value in PAGE_HEADERS.items():
        assert r.headers.get(header) == value, f"GET /: {header} = {r.headers.get(header)!r}"
    css = gateway.get("/app.css")
    assert css.status_code == 200 and css.headers.get("Content-Type", "").startswith("text/css"), \
        f"GET /app.css -> {css.status_code} {css.headers.get('Content-Type')}"


def marked_copy(target: Path, marker: str) -> Path:
    """A copy of the repository's Public/ at `target` whose index.html carries `marker`."""
    shutil.copytree(PUBLIC, target)
    index = target / "index.html"
    index.write_text(index.read_text().replace(TITLE, f"{TITLE}<!-- {marker} -->", 1))
    return target


@pytest.fixture(scope="module")
def installed():
    """<tmp>/bin/campus and its resource bundles, copied from the binary under test."""
    root = Path(tempfile.mkdtemp(prefix="campus-installed-"))
    source = Path(campus_binary()).resolve()
    bin_dir = root / "bin"
    bin_dir.mkdir()
    shutil.copy2(source, bin_dir / "campus")
    for bundle in source.parent.glob("*.resources"):
        if bundle.is_dir():
            shutil.copytree(bundle, bin_dir / bundle.name, symlinks=True)
        else:
            shutil.copy2(bundle, bin_dir / bundle.name)
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def workdir():
    """An empty working directory of the test's own (no Public/, no .env)."""
    path = Path(tempfile.mkdtemp(prefix="campus-cwd-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def run(gateway: Gateway):
    gateway.start()
    return gateway


# (1) ------------------------------------------------------------------------------------------

def test_public_dir_serves_the_page_from_an_unrelated_working_directory(workdir):
    gateway = Gateway(Path(campus_binary()), workdir, public_dir=str(PUBLIC))
    try:
        run(gateway)
        assert_page(gateway)
    finally:
        gateway.close()


def test_public_dir_wins_over_a_public_folder_in_the_working_directory(workdir, tmp_path):
    marked_copy(workdir / "Public", "working directory")
    chosen = marked_copy(tmp_path / "chosen", "PUBLIC_DIR")
    gateway = Gateway(Path(campus_binary()), workdir, public_dir=str(chosen))
    try:
        run(gateway)
        assert_page(gateway, "PUBLIC_DIR")
    finally:
        gateway.close()


# (2) ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["root", "temp"], ids=["started-from-/", "started-from-an-empty-folder"])
def test_an_installed_gateway_serves_the_page_from_share(installed, workdir, where):
    share = marked_copy(installed / "share" / "campus" / "Public", "share/campus")
    cwd = Path("/") if where == "root" and not Path("/Public").exists() else workdir
    gateway = Gateway(installed / "bin" / "campus", cwd)
    try:
        run(gateway)
        assert_page(gateway, "share/campus")
    finally:
        gateway.close()
        shutil.rmtree(share.parent.parent, ignore_errors=True)


def test_the_search_order_is_working_directory_then_beside_the_executable_then_share(installed, workdir):
    share = marked_copy(installed / "share" / "campus" / "Public", "share/campus")
    beside = marked_copy(installed / "bin" / "Public", "beside the executable")
    cwd_page = marked_copy(workdir / "Public", "working directory")
    try:
        for expected, remove in (("working directory", None), ("beside the executable", cwd_page), ("share/campus", beside)):
            if remove is not None:
                shutil.rmtree(remove)
            gateway = Gateway(installed / "bin" / "campus", workdir)
            try:
                run(gateway)
                assert_page(gateway, expected)
            finally:
                gateway.close()
    finally:
        shutil.rmtree(beside, ignore_errors=True)
        shutil.rmtree(share.parent.parent, ignore_errors=True)


# (3) ------------------------------------------------------------------------------------------

def test_without_any_page_folder_the_gateway_runs_and_still_sends_the_page_headers(installed, workdir):
    assert not (installed / "bin" / "Public").exists() and not (installed / "share").exists()
    gateway = Gateway(installed / "bin" / "campus", workdir)
    try:
        run(gateway)
        page = gateway.get("/")
        assert page.status_code == 404, f"GET / with no page folder anywhere -> {page.status_code} {page.text[:200]}"
        assert TITLE not in page.text
        health = gateway.get("/health")
        assert health.status_code == 200, health.text
        missing = []
        for path, response in (("/", page), ("/index.html", gateway.get("/index.html")), ("/health", health),
                               ("/auth/config", gateway.get("/auth/config")), ("/api/rooms", gateway.get("/api/rooms"))):
            missing += [f"GET {path} ({response.status_code}): {header} = {response.headers.get(header)!r}"
                        for header, value in PAGE_HEADERS.items() if response.headers.get(header) != value]
        assert missing == [], "page security headers missing with no page folder:\n" + "\n".join(missing)
    finally:
        gateway.close()


# (4) ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["missing", "a-file"])
def test_a_public_dir_that_is_not_a_folder_stops_start_up_naming_it(workdir, kind):
    if kind == "missing":
        value = "/nonexistent"
        assert not Path(value).exists()
    else:
        value = str(workdir / "not-a-folder.html")
        Path(value).write_text("<!doctype html><title>x</title>")
    ports = distinct_ports(SERVICES)
    env = {k: v for k, v in os.environ.items() if k != "PUBLIC_DIR"}
    env.update({"APP_ENV": "development", "DATA_DIR": str(workdir / "data"), "JWT_SECRET_KEY": "p" * 40, "BCRYPT_COST": "4",
                "LOG_LEVEL": "warning", "PUBLIC_DIR": value, **{PORT_VARIABLE[n]: str(p) for n, p in ports.items()}})
    out, err = workdir / "out.log", workdir / "err.log"
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        process = subprocess.Popen([campus_binary(), "serve", "gateway"], cwd=workdir, env=env,
                                   stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            assert not answers_200(ports["gateway"], "/health", 0.5), f"PUBLIC_DIR={value}: the gateway started anyway"
            time.sleep(0.1)
        assert process.poll() is not None, f"PUBLIC_DIR={value}: still running after 30 s"
        said = err.read_text(errors="replace") + out.read_text(errors="replace")
        assert process.returncode != 0, f"PUBLIC_DIR={value}: exit 0: {said[-500:]!r}"
        assert process.returncode > 0 and "crashed" not in said and "Fatal error" not in said, \
            f"PUBLIC_DIR={value}: not a clean stop (exit {process.returncode}): {said[:600]!r}"
        assert "PUBLIC_DIR" in said, f"PUBLIC_DIR={value}: the message does not name PUBLIC_DIR: {said[-800:]!r}"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
