"""Secrets from files (the Docker/Kubernetes secrets convention): `JWT_SECRET_KEY_FILE` and
`DB_PASSWORD_FILE` hold the value of `JWT_SECRET_KEY` / `DB_PASSWORD` (surrounding whitespace and the
trailing newline removed). Setting a variable and its `_FILE` twin, or naming a file that cannot be
read, stops start-up with a message naming the variables. `campus config` says where each setting's
value came from and never prints a secret.

Run: scripts/security-test e2e/security/test_secret_files.py (CAMPUS_BIN picks the binary). Each test
starts its own processes on free ports with temporary data; it does not use the suite's shared server."""
from __future__ import annotations

import os
import re
import secrets
import subprocess
import tempfile
import time
from pathlib import Path

import jwt
import pytest

from support.campus import CampusServer, campus_binary, stop_process
from support.postgres import ThrowawayCluster
from support.services import PORT_VARIABLE, answers_200, free_port, wait_until_ready

ISSUER = "campus-services-hub"


def clean_environment(**settings: str) -> dict[str, str]:
    """The test process's environment without any campus secret or database setting, plus `settings`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JWT_", "DB_", "DATABASE_", "CAMPUS_TOKEN")) and k not in PORT_VARIABLE.values()}
    env.update({"BCRYPT_COST": "4", "LOG_LEVEL": "warning", **settings})
    return env


def write_secret(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.write_text(content)
    path.chmod(0o600)
    return path


def start_outcome(env: dict[str, str], services: tuple[str, ...] = ("gateway", "users"), timeout: float = 60) -> tuple[int | None, str]:
    """Runs `campus serve <services>` with `env` (free ports added): (exit code, output) when it stops
    by itself, or (None, output) once every service answers /health (it is stopped then)."""
    ports = {name: free_port() for name in services}
    env = {**env, **{PORT_VARIABLE[name]: str(port) for name, port in ports.items()}}
    with tempfile.TemporaryDirectory(prefix="campus-secret-start-") as cwd:
        log = Path(cwd) / "out.log"
        with open(log, "wb") as out:
            process = subprocess.Popen([campus_binary(), "serve", *services], cwd=cwd, env=env,
                                       stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + timeout
            while process.poll() is None:
                if all(answers_200(port, "/health", 0.5) for port in ports.values()):
                    return None, log.read_text(errors="replace")
                if time.monotonic() > deadline:
                    raise AssertionError(f"neither started nor stopped within {timeout}s: {log.read_text(errors='replace')[-800:]}")
                time.sleep(0.2)
            return process.returncode, log.read_text(errors="replace")
        finally:
            stop_process(process, timeout=20)


def assert_start_refused(env: dict[str, str], *names: str, secret: str | None = None) -> str:
    code, output = start_outcome(env)
    assert code is not None, f"start-up went ahead; expected it to stop naming {names}: {output[-800:]}"
    assert code != 0, f"exit code 0; expected a failure naming {names}: {output[-800:]}"
    for name in names:
        # JWT_SECRET_KEY must be named on its own, not only inside JWT_SECRET_KEY_FILE
        assert re.search(rf"\b{re.escape(name)}(?!_FILE)\b", output), f"the message does not name {name}: {output[-800:]}"
    if secret:
        assert secret not in output, f"the start-up message prints the secret: {output[-800:]}"
    return output


def campus_config(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([campus_binary(), "config"], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def config_line(output: str, name: str) -> str:
    """The table line of setting `name` (the first line that starts with it, after any leading border)."""
    for line in output.splitlines():
        cells = [cell for cell in re.split(r"[\s|│]+", line.strip()) if cell]
        if cells and cells[0] == name:
            return line
    raise AssertionError(f"`campus config` has no line for {name}:\n{output}")


def settings_lines(output: str) -> dict[str, str]:
    """The settings table of `campus config`: each variable's line, after the line that starts `Settings`."""
    lines = output.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("Settings")), None)
    assert start is not None, f"`campus config` has no Settings table:\n{output}"
    table = {}
    for line in lines[start + 1:]:
        match = re.match(r"\s+([A-Z][A-Z0-9_]*)\b", line)
        if not match:
            break
        table[match[1]] = line
    return table


def from_file(line: str, name: str, path: Path) -> bool:
    """The table line of `name` gives a file as its source: it says `file` (or `NAME_FILE`), or the file's path."""
    source = line.strip()[len(name):]
    return bool(re.match(r"\s*(file\b|" + re.escape(name) + "_FILE)", source)) or str(path) in source


# ---- the JWT secret from a file, in production -------------------------------------------------
@pytest.fixture(scope="module")
def production(tmp_path_factory):
    folder = tmp_path_factory.mktemp("secret-file")
    secret = secrets.token_urlsafe(36)
    assert len(secret) == 48
    path = write_secret(folder, "jwt_secret", secret + "\n")
    server = CampusServer(services=("gateway", "users"), data_dir=str(folder / "data"), log_name="secret-file", env={
        "APP_ENV": "production", "BIND_ADDRESS": "127.0.0.1", "SEED_DEFAULT_USERS": "true",
        "JWT_SECRET_KEY_FILE": str(path), "LOGIN_RATE_PER_MINUTE": "1000"})
    del server.env["JWT_SECRET_KEY"]  # only the file
    os.makedirs(server.data_dir, exist_ok=True)
    try:
        server.start()
        yield server, secret
    finally:
        log = server.log_tail()
        server.close()
        if secret in log:
            pytest.fail("the server's log prints the JWT secret")


def test_tokens_are_signed_with_the_secret_from_the_file(production):
    server, secret = production
    token = server.login("admin@example.com", "admin123")
    claims = jwt.decode(token, secret, algorithms=["HS256"], issuer=ISSUER)
    assert claims["email"] == "admin@example.com" and claims["role"] == "admin", claims
    for wrong in (secret + "\n", " " + secret, secrets.token_urlsafe(36)):
        with pytest.raises(jwt.InvalidSignatureError):
            jwt.decode(token, wrong, algorithms=["HS256"], issuer=ISSUER)
    # A token made by PyJWT with the file's secret is accepted by the gateway and by user management;
    # one made with another secret is not.
    now = int(time.time())
    made = {**claims, "iat": now, "exp": now + 600, "jti": secrets.token_hex(8)}
    own = jwt.encode(made, secret, algorithm="HS256")
    assert server.get("gateway", "/auth/me", token=own).status_code == 200
    assert server.get("users", f"/users/{claims['sub']}", token=own).status_code == 200
    other = jwt.encode(made, secrets.token_urlsafe(36), algorithm="HS256")
    assert server.get("gateway", "/auth/me", token=other, validate_request=False).status_code == 401


# ---- refused start-ups ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["JWT_SECRET_KEY", "DB_PASSWORD"])
def test_a_setting_and_its_file_together_stop_start_up_naming_both(tmp_path, name):
    value = secrets.token_urlsafe(36)
    path = write_secret(tmp_path, "value", value + "\n")
    env = clean_environment(APP_ENV="development", DATA_DIR=str(tmp_path / "data"), SEED_DEFAULT_USERS="true",
                            **{name: value, f"{name}_FILE": str(path)})
    assert_start_refused(env, name, f"{name}_FILE", secret=value)


@pytest.mark.parametrize("case", ["missing", "folder"])
@pytest.mark.parametrize("name", ["JWT_SECRET_KEY_FILE", "DB_PASSWORD_FILE"])
def test_a_file_that_cannot_be_read_stops_start_up_naming_it(tmp_path, name, case):
    path = tmp_path / "nowhere" / "secret" if case == "missing" else tmp_path
    env = clean_environment(APP_ENV="development", DATA_DIR=str(tmp_path / "data"), SEED_DEFAULT_USERS="true",
                            **{name: str(path)})
    assert_start_refused(env, name)


def test_a_short_secret_in_the_file_is_refused_like_a_short_setting(tmp_path):
    path = write_secret(tmp_path, "jwt_secret", "too-short-secret\n")
    env = clean_environment(APP_ENV="development", DATA_DIR=str(tmp_path / "data"), SEED_DEFAULT_USERS="true",
                            JWT_SECRET_KEY_FILE=str(path))
    output = assert_start_refused(env)
    assert "JWT_SECRET_KEY" in output, output[-800:]
    assert "too-short-secret" not in output, output[-800:]


# ---- campus config ---------------------------------------------------------------------------------
def test_config_shows_the_file_as_the_source_and_never_the_secret(tmp_path):
    secret = secrets.token_urlsafe(36)
    path = write_secret(tmp_path, "jwt_secret", secret + "\n")
    (tmp_path / ".env").write_text("CAMPUS_TIMEZONE=Europe/Paris\n")
    env = clean_environment(APP_ENV="production", JWT_SECRET_KEY_FILE=str(path), LOG_LEVEL="error")
    result = campus_config(env, tmp_path)
    output = result.stdout + result.stderr
    assert secret not in output, "campus config prints the JWT secret"
    assert secret[:12] not in output and secret[-12:] not in output, "campus config prints part of the JWT secret"
    line = config_line(result.stdout, "JWT_SECRET_KEY")
    assert from_file(line, "JWT_SECRET_KEY", path), f"the source of JWT_SECRET_KEY is not the file: {line!r}"
    # Every other source is told apart too: the environment, the .env file, the default.
    assert re.search(r"environment|\benv\b", config_line(result.stdout, "LOG_LEVEL"), re.I), config_line(result.stdout, "LOG_LEVEL")
    assert ".env" in config_line(result.stdout, "CAMPUS_TIMEZONE"), config_line(result.stdout, "CAMPUS_TIMEZONE")
    assert "default" in config_line(result.stdout, "BOOKING_SLOT_MINUTES").lower(), config_line(result.stdout, "BOOKING_SLOT_MINUTES")
    # Every setting of the table has a source.
    settings = settings_lines(result.stdout)
    assert len(settings) >= 30, result.stdout
    for name, line in settings.items():
        assert re.match(rf"\s*{name}\s+(default|environment|\.env file|file\b)", line), f"no source for {name}: {line!r}"


def test_config_never_prints_the_database_password(tmp_path):
    env = clean_environment(APP_ENV="development", DB_PASSWORD="s3cretvalue", DATABASE_TYPE="postgresql")
    result = campus_config(env, tmp_path)
    assert "s3cretvalue" not in result.stdout + result.stderr, "campus config prints DB_PASSWORD"
    line = config_line(result.stdout, "DB_PASSWORD")
    assert re.search(r"environment|\benv\b", line, re.I), f"DB_PASSWORD's source is not the environment: {line!r}"
    # Said to be set, without the value: the same line with the variable unset differs.
    unset = config_line(campus_config(clean_environment(APP_ENV="development", DATABASE_TYPE="postgresql"), tmp_path).stdout,
                        "DB_PASSWORD")
    assert unset != line, f"DB_PASSWORD reads the same set and unset: {line!r}"


def test_config_shows_db_password_file_as_the_source(tmp_path):
    path = write_secret(tmp_path, "db_password", "  s3cretvalue-from-file \n")
    env = clean_environment(APP_ENV="development", DB_PASSWORD_FILE=str(path), DATABASE_TYPE="postgresql")
    result = campus_config(env, tmp_path)
    assert "s3cretvalue-from-file" not in result.stdout + result.stderr, "campus config prints DB_PASSWORD"
    line = config_line(result.stdout, "DB_PASSWORD")
    assert from_file(line, "DB_PASSWORD", path), f"the source of DB_PASSWORD is not the file: {line!r}"


# ---- DB_PASSWORD_FILE really is the password PostgreSQL is given ---------------------------------------
@pytest.fixture(scope="module")
def postgres_with_password(tmp_path_factory):
    """A throwaway PostgreSQL server that asks for a password (scram-sha-256) on a free loopback port,
    with an empty database; stopped afterwards. Installs Debian's postgresql if its binaries are missing."""
    password = "pg-" + secrets.token_urlsafe(18)
    with ThrowawayCluster(Path(tempfile.mkdtemp(prefix="campus-pg-password-")), password=password,
                          superuser="campus_owner") as cluster:
        yield cluster.db_settings(cluster.create_database("campus_secret")), password


def test_db_password_file_is_the_password_postgresql_gets(postgres_with_password, tmp_path):
    settings, password = postgres_with_password
    right = write_secret(tmp_path, "db_password", password + "\n")
    wrong = write_secret(tmp_path, "db_password_wrong", "not-" + password + "\n")
    base = clean_environment(APP_ENV="development", DATABASE_TYPE="postgresql", DB_POOL_MIN="1",
                             DATA_DIR=str(tmp_path / "data"), SEED_DEFAULT_USERS="true", **settings)

    def ready(path: Path, timeout: float) -> tuple[bool, str]:
        port = free_port()
        log = tmp_path / f"users-{path.name}.log"
        with open(log, "wb") as out:
            process = subprocess.Popen([campus_binary(), "serve", "users"], cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
                                       env={**base, "DB_PASSWORD_FILE": str(path), PORT_VARIABLE["users"]: str(port)},
                                       start_new_session=True)
        try:
            wait_until_ready({"users": port}, timeout, exited=lambda: process.poll() is not None and "exited")
            return True, log.read_text(errors="replace")
        except RuntimeError:
            return False, log.read_text(errors="replace")
        finally:
            stop_process(process, timeout=20)

    ok, output = ready(right, 60)
    assert ok, f"user management did not get ready on PostgreSQL with DB_PASSWORD_FILE holding the password: {output[-1500:]}"
    assert password not in output, "the log prints the database password"
    ok, output = ready(wrong, 8)
    assert not ok, "user management got ready with a wrong password in DB_PASSWORD_FILE: the file is not what PostgreSQL is given"
    assert password not in output and "not-" + password not in output, "the log prints the database password"
