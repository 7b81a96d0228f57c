"""The first admin without default passwords, and no secret on a command line.

`campus create-admin --email E --name N [--password-file F]` makes an admin on the configured
database (the password from the file, else from standard input; there is no --password), or, when
E exists, resets its password, makes it an admin and ends its sessions. Weak passwords are refused
(non-zero exit, nothing changed). `campus watch` takes its token from CAMPUS_TOKEN or --token-file
(no --token); `campus copy-db --to` refuses a URL that holds a password (PGPASSWORD or
--password-file instead).

Run: scripts/security-test e2e/security/test_first_admin.py (CAMPUS_BIN picks the binary). The tests
start their own `campus serve` on a fresh data folder (SEED_DEFAULT_USERS=false); the PostgreSQL
case uses $CAMPUS_TEST_POSTGRES_URL's server (a fresh database on it) or a throwaway server it
starts itself (support/postgres.py) and stops afterwards."""
from __future__ import annotations

import json
import os
import re
import secrets
import select
import subprocess
import time
from pathlib import Path

import pytest

from support.campus import ROOT, CampusServer, campus_binary, stop_process
from support.postgres import empty_database
from support.services import PORT_VARIABLE

ADMIN_EMAIL = "root-admin@example.org"
ADMIN_NAME = "Root Admin"
FIRST_PASSWORD = "first-admin-" + secrets.token_hex(6)
WEAK_PASSWORDS = ["short", "1234567", ""]


def base_environment(data_dir: str | None = None, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JWT_", "DB_", "DATABASE_", "CAMPUS_TOKEN", "PG")) and k not in PORT_VARIABLE.values()}
    env.update({"APP_ENV": "development", "BCRYPT_COST": "4", "LOG_LEVEL": "warning", "SEED_DEFAULT_USERS": "false"})
    if data_dir:
        env.update({"DATABASE_TYPE": "sqlite", "DATA_DIR": data_dir})
    env.update(settings)
    return env


def campus(*args: str, env: dict[str, str], stdin: str | None = "", cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([campus_binary(), *args], input=stdin, capture_output=True, text=True, env=env,
                          cwd=cwd or ROOT, timeout=timeout)


def create_admin(env: dict[str, str], email: str, password: str, *, name: str = ADMIN_NAME,
                 password_file: Path | None = None) -> subprocess.CompletedProcess:
    """create-admin with the password on standard input (a typed line), or in `password_file`."""
    args = ["create-admin", "--email", email, "--name", name]
    if password_file is not None:
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
        return campus(*args, "--password-file", str(password_file), env=env, stdin="")
    return campus(*args, env=env, stdin=password + "\n")


def said(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\nstdout: {result.stdout[-1500:]}\nstderr: {result.stderr[-1500:]}"


def login(server: CampusServer, email: str, password: str):
    return server.post("gateway", "/auth/login", json={"email": email, "password": password})


def wait_for_status(call, status: int, timeout: float = 5.0):
    """Repeats `call()` until it answers `status` (the gateway learns of an ended session within a second)."""
    deadline = time.monotonic() + timeout
    while True:
        r = call()
        if r.status_code == status or time.monotonic() > deadline:
            return r
        time.sleep(0.1)


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """A fresh SQLite data folder whose only account is the one create-admin made (password on stdin),
    and `campus serve` running on it."""
    data_dir = str(tmp_path_factory.mktemp("first-admin") / "data")
    env = base_environment(data_dir)
    result = create_admin(env, ADMIN_EMAIL, FIRST_PASSWORD)
    assert result.returncode == 0, said(result)
    assert FIRST_PASSWORD not in result.stdout + result.stderr, "create-admin prints the password"
    server = CampusServer(data_dir=data_dir, log_name="first-admin",
                          env={"SEED_DEFAULT_USERS": "false", "LOGIN_RATE_PER_MINUTE": "100000"})
    server.start()
    try:
        yield server, env
    finally:
        server.close()


def test_create_admin_from_standard_input_makes_the_only_way_in(first):
    server, _ = first
    r = login(server, ADMIN_EMAIL, FIRST_PASSWORD)
    assert r.status_code == 200, r.text
    assert r.json()["user"]["role"] == "admin" and r.json()["user"]["name"] == ADMIN_NAME, r.json()["user"]
    token = r.json()["access_token"]
    assert server.get("gateway", "/auth/me", token=token).json()["role"] == "admin"
    # No default account exists.
    for email, password in (("admin@example.com", "admin123"), ("student@example.com", "student123")):
        assert login(server, email, password).status_code == 401
    users = server.get("gateway", "/api/users", token=token, params={"limit": 200})
    assert users.status_code == 200 and [u["email"] for u in users.json()] == [ADMIN_EMAIL], users.text


def test_create_admin_on_an_existing_account_resets_it_promotes_it_and_ends_its_sessions(first, tmp_path):
    server, env = first
    admin = server.login(ADMIN_EMAIL, current_admin_password(server))
    # The admin's own password, reset while the server runs (from a file this time).
    new_password = "reset-admin-" + secrets.token_hex(6)
    RESET.append(new_password)
    result = create_admin(env, ADMIN_EMAIL, new_password, password_file=tmp_path / "admin-password")
    assert result.returncode == 0, said(result)
    assert new_password not in result.stdout + result.stderr, "create-admin prints the password"
    ended = wait_for_status(lambda: server.get("gateway", "/auth/me", token=admin, validate_request=False), 401)
    assert ended.status_code == 401, f"the token from before the reset still works: {ended.status_code} {ended.text}"
    assert login(server, ADMIN_EMAIL, FIRST_PASSWORD).status_code == 401, "the old password still works"
    r = login(server, ADMIN_EMAIL, new_password)
    assert r.status_code == 200 and r.json()["user"]["role"] == "admin", r.text
    admin = r.json()["access_token"]

    # A student's account: made an admin, with a new password, and its token ended.
    email = f"promote-{secrets.token_hex(4)}@example.org"
    created = server.post("gateway", "/api/users", token=admin,
                          json={"email": email, "name": "Promoted Student", "password": "student-password-1", "role": "student"})
    assert created.status_code == 201, created.text
    student = server.login(email, "student-password-1")
    promoted_password = "promoted-" + secrets.token_hex(6)
    # E-mails are compared case-insensitively (docs/contract.md §5): the same account, not a second one.
    result = create_admin(env, email.upper(), promoted_password, name="Promoted Student")
    assert result.returncode == 0, said(result)
    ended = wait_for_status(lambda: server.get("gateway", "/auth/me", token=student, validate_request=False), 401)
    assert ended.status_code == 401, f"the student's token still works after create-admin: {ended.text}"
    assert login(server, email, "student-password-1").status_code == 401
    r = login(server, email, promoted_password)
    assert r.status_code == 200 and r.json()["user"]["role"] == "admin", r.text
    ids = [u["id"] for u in server.get("gateway", "/api/users", token=admin, params={"q": email}).json()]
    assert ids == [created.json()["id"]], f"create-admin made a second account instead of promoting the first: {ids}"


@pytest.mark.parametrize("weak", WEAK_PASSWORDS)
def test_a_weak_password_is_refused_and_changes_nothing(first, tmp_path, weak):
    server, env = first
    email = f"weak-{secrets.token_hex(4)}@example.org"
    # A new account with a weak password: refused, and not made.
    for how in ("stdin", "file"):
        result = create_admin(env, email, weak, password_file=(tmp_path / "weak") if how == "file" else None)
        assert result.returncode != 0, f"{how}: {said(result)}"
        assert re.search(r"password", result.stdout + result.stderr, re.I), said(result)
        assert login(server, email, weak or "whatever-password").status_code == 401
    admin = server.login(ADMIN_EMAIL, current_admin_password(server))
    found = server.get("gateway", "/api/users", token=admin, params={"q": email})
    assert found.status_code == 200 and found.json() == [], f"a refused create-admin made the account: {found.text}"
    # An existing account with a weak password: refused, its password unchanged, its sessions alive.
    strong = "strong-" + secrets.token_hex(6)
    result = create_admin(env, email, strong, name="Weak Test")
    assert result.returncode == 0, said(result)
    token = server.login(email, strong)
    result = create_admin(env, email, weak, name="Weak Test")
    assert result.returncode != 0, said(result)
    assert login(server, email, strong).status_code == 200, "a refused create-admin changed the password"
    time.sleep(1.5)  # longer than the gateway takes to learn of an ended session
    assert server.get("gateway", "/auth/me", token=token).status_code == 200, "a refused create-admin ended the sessions"


def test_no_password_or_token_is_taken_from_the_command_line(tmp_path):
    env = base_environment(str(tmp_path / "data"))
    # create-admin: --password-file, never --password.
    help_text = campus("create-admin", "--help", env=env)
    assert help_text.returncode == 0, said(help_text)
    assert "--password-file" in help_text.stdout and "--email" in help_text.stdout and "--name" in help_text.stdout, help_text.stdout
    assert not re.search(r"--password(?![-\w])", help_text.stdout), f"create-admin offers --password:\n{help_text.stdout}"
    refused = campus("create-admin", "--email", "cli@example.org", "--name", "Cli", "--password", "cli-password-123", env=env)
    assert refused.returncode != 0, said(refused)
    assert "--password" in refused.stdout + refused.stderr, said(refused)
    # watch: CAMPUS_TOKEN or --token-file, never --token.
    help_text = campus("watch", "--help", env=env)
    assert help_text.returncode == 0, said(help_text)
    assert "--token-file" in help_text.stdout and "CAMPUS_TOKEN" in help_text.stdout, help_text.stdout
    assert not re.search(r"--token(?![-\w])", help_text.stdout), f"watch offers --token:\n{help_text.stdout}"
    refused = campus("watch", "--token", "abc", env=env, timeout=30)
    assert refused.returncode != 0, said(refused)
    assert "--token" in refused.stdout + refused.stderr, said(refused)


def test_copy_db_refuses_a_password_in_the_url(tmp_path):
    env = base_environment(str(tmp_path / "data"))
    url_secret = "Zq9-url-" + secrets.token_hex(4)
    started = time.monotonic()
    result = campus("copy-db", "--from", str(tmp_path), "--to", f"postgres://u:{url_secret}@127.0.0.1:1/db", env=env, timeout=60)
    assert result.returncode != 0, said(result)
    output = result.stdout + result.stderr
    assert re.search(r"password", output, re.I), said(result)
    assert "PGPASSWORD" in output or "--password-file" in output, f"the message does not say where the password goes: {said(result)}"
    assert url_secret not in output, f"copy-db repeats the password: {said(result)}"
    assert time.monotonic() - started < 30
    help_text = campus("copy-db", "--help", env=env)
    assert help_text.returncode == 0 and "--password-file" in help_text.stdout, said(help_text)


def watch_until_ready(args: list[str], env: dict[str, str], timeout: float = 30) -> tuple[bool, str]:
    """Runs `campus watch ARGS`; True once it prints {"type":"ready"} (then it is stopped), with what it printed."""
    process = subprocess.Popen([campus_binary(), "watch", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, env=env, cwd=ROOT, start_new_session=True)
    seen = b""
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([process.stdout], [], [], 0.2)
            if ready:
                chunk = os.read(process.stdout.fileno(), 65536)
                if not chunk:
                    break
                seen += chunk
                for line in seen.decode(errors="replace").splitlines():
                    try:
                        if json.loads(line).get("type") == "ready":
                            return True, seen.decode(errors="replace")
                    except (ValueError, AttributeError):
                        pass
            elif process.poll() is not None:
                break
        return False, seen.decode(errors="replace")
    finally:
        stop_process(process, timeout=10)
        process.stdout.close()


def test_watch_takes_its_token_from_the_environment_or_a_file(first, tmp_path):
    server, env = first
    token = server.login(ADMIN_EMAIL, current_admin_password(server))
    watch_env = dict(env)
    url = ["--url", f"ws://127.0.0.1:{server.ports['gateway']}/api/ws"]
    ok, printed = watch_until_ready(url, {**watch_env, "CAMPUS_TOKEN": token})
    assert ok, f"campus watch with CAMPUS_TOKEN did not get ready: {printed[-800:]}"
    assert token not in printed
    path = tmp_path / "token"
    path.write_text(token + "\n")
    path.chmod(0o600)
    ok, printed = watch_until_ready([*url, "--token-file", str(path)], watch_env)
    assert ok, f"campus watch --token-file did not get ready: {printed[-800:]}"


def test_create_admin_lifts_a_sign_in_lock_on_the_account(first, tmp_path):
    """The moment an operator needs create-admin is when the admin is locked out: the reset lifts the lock."""
    server, env = first
    admin = server.login(ADMIN_EMAIL, current_admin_password(server))
    email = f"locked-{secrets.token_hex(4)}@example.org"
    created = server.post("gateway", "/api/users", token=admin,
                          json={"email": email, "name": "Locked Admin", "password": "locked-password-1", "role": "admin"})
    assert created.status_code == 201, created.text
    statuses = [login(server, email, f"wrong-{i}-password").status_code for i in range(5)]
    assert statuses[-1] == 423, f"five failures did not lock the account: {statuses}"
    assert login(server, email, "locked-password-1").status_code == 423, "the lock does not hold for the right password"
    new_password = "unlocked-" + secrets.token_hex(6)
    result = create_admin(env, email, new_password, name="Locked Admin", password_file=tmp_path / "unlock")
    assert result.returncode == 0, said(result)
    r = login(server, email, new_password)
    assert r.status_code == 200 and r.json()["user"]["role"] == "admin", f"still refused after create-admin: {r.status_code} {r.text}"


def current_admin_password(server: CampusServer) -> str:
    """The first admin's password: the last one the reset test set (it records them in RESET), else
    FIRST_PASSWORD. Tried newest first, so no failed sign-in counts towards the account's lockout."""
    for password in (*reversed(RESET), FIRST_PASSWORD):
        if login(server, ADMIN_EMAIL, password).status_code == 200:
            return password
    raise AssertionError("the first admin cannot sign in with any password it was given")


RESET: list[str] = []


# ---- PostgreSQL ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    """DB_* settings of an empty PostgreSQL database (support/postgres.py)."""
    with empty_database("first_admin", max_connections=300) as settings:
        yield settings


def test_create_admin_on_postgresql(postgres, tmp_path):
    settings = {"DATABASE_TYPE": "postgresql", "DB_POOL_MIN": "1", **postgres}
    env = base_environment(None, DATA_DIR=str(tmp_path / "data"), **settings)
    (tmp_path / "data").mkdir()
    password = "pg-admin-" + secrets.token_hex(6)
    result = create_admin(env, ADMIN_EMAIL, password, password_file=tmp_path / "password")
    assert result.returncode == 0, said(result)
    server = CampusServer(services=("gateway", "users"), data_dir=str(tmp_path / "data"), log_name="first-admin-pg",
                          env={**settings, "SEED_DEFAULT_USERS": "false"})
    server.start()
    try:
        r = login(server, ADMIN_EMAIL, password)
        assert r.status_code == 200 and r.json()["user"]["role"] == "admin", r.text
        assert login(server, "admin@example.com", "admin123").status_code == 401
        # The second run resets the password on PostgreSQL too.
        token = r.json()["access_token"]
        again = "pg-again-" + secrets.token_hex(6)
        result = create_admin(env, ADMIN_EMAIL, again)
        assert result.returncode == 0, said(result)
        ended = wait_for_status(lambda: server.get("gateway", "/auth/me", token=token, validate_request=False), 401)
        assert ended.status_code == 401, ended.text
        assert login(server, ADMIN_EMAIL, again).status_code == 200
    finally:
        server.close()
