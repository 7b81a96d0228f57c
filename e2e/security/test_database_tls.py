"""Encrypted PostgreSQL connections: `DB_TLS` (`disable` | `require` | `verify-full`) and `DB_TLS_CA_FILE`
(docs/contract.md §11 "PostgreSQL encryption"; README settings table).

With `DATABASE_TYPE=postgresql`, every connection a service opens to PostgreSQL is encrypted as `DB_TLS`
says: `require` encrypts without checking the server, `verify-full` also demands a certificate that
chains to `DB_TLS_CA_FILE` and names `DB_HOST`. A server that refuses TLS, or a certificate that does not
verify, stops start-up (non-zero exit) with a message naming `DB_TLS` and saying which of the two went
wrong. `DB_TLS_CA_FILE` with another mode, or a CA file that cannot be read, stops start-up with exit 78
naming `DB_TLS_CA_FILE`.

The test makes its own throwaway PostgreSQL 15 clusters on free loopback ports (support/postgres.py; the
server runs as `postgres` when the test runs as root, as initdb refuses root): one with
`ssl = on` and a server certificate for `DNS:localhost,IP:127.0.0.1` signed by a CA made here with
`openssl`, one with `ssl = off`, and (for the host-name check) one whose certificate, signed by the same CA,
names another host. A second, unrelated CA is the "wrong CA". Whether a connection is encrypted is read
from the server itself: `pg_stat_ssl` joined with `pg_stat_activity` for the connections that are open,
and `log_connections` (PostgreSQL 15 writes `SSL enabled (...)` on every `connection authorized` line of
an encrypted connection) for every connection ever opened. Each start uses a database of its own, so
the connections counted are the service's own.

Run: CAMPUS_BIN=path/to/campus scripts/security-test e2e/security/test_database_tls.py
Each test starts its own `campus serve` on free ports with temporary data; it does not use the suite's
shared server."""
from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import jwt
import pytest
import requests
import requests.adapters

from support.campus import campus_binary
from support.postgres import ThrowawayCluster, postgres_binaries
from support.services import HOST_VARIABLE, PORT_VARIABLE, SERVICES, answers_200, free_port

ISSUER = "campus-services-hub"
READY_DEADLINE = 60     # seconds a start that should work has to answer /health/ready 200
REFUSAL_DEADLINE = 30   # seconds a start that should be refused has to exit
CONFIG_EXIT = 78        # EX_CONFIG: a bad setting
DB_USER = "campus_owner"


# ---- certificates ------------------------------------------------------------------------------------
def openssl(folder: Path, *args: str) -> None:
    result = subprocess.run(["openssl", *args], cwd=folder, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"openssl {' '.join(args)} failed: {result.stderr[-1500:]}"


def make_ca(folder: Path, name: str, common_name: str) -> Path:
    """A self-signed CA certificate (name.crt, PEM) and its key (name.key)."""
    openssl(folder, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
            "-keyout", f"{name}.key", "-out", f"{name}.crt", "-subj", f"/CN={common_name}",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    return folder / f"{name}.crt"


def make_server_certificate(folder: Path, ca: str, name: str, common_name: str, san: str) -> tuple[Path, Path]:
    """A server certificate (name.crt) and key (name.key) signed by CA `ca`, for subjectAltName `san`."""
    openssl(folder, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
            "-subj", f"/CN={common_name}")
    (folder / f"{name}.ext").write_text(f"subjectAltName={san}\nbasicConstraints=critical,CA:FALSE\n"
                                        "keyUsage=critical,digitalSignature,keyEncipherment\n"
                                        "extendedKeyUsage=serverAuth\n")
    openssl(folder, "x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.crt", "-CAkey", f"{ca}.key",
            "-set_serial", str(secrets.randbits(63)), "-days", "2", "-sha256", "-extfile", f"{name}.ext",
            "-out", f"{name}.crt")
    return folder / f"{name}.crt", folder / f"{name}.key"


# ---- throwaway PostgreSQL clusters ---------------------------------------------------------------------
class Cluster(ThrowawayCluster):
    """One PostgreSQL server on a free loopback port (support/postgres.py): TCP with a password
    (scram-sha-256) for the services, the Unix socket with trust for the test's own queries; every
    connection logged; TLS on with `certificate` (its certificate and key), off without."""

    def __init__(self, folder: Path, password: str, certificate: tuple[Path, Path] | None, pg_bin: str):
        settings = {"log_connections": "on", "max_connections": "200", "ssl": "off"}
        if certificate:
            settings.update({"ssl": "on", "ssl_cert_file": str(folder / certificate[0].name),
                             "ssl_key_file": str(folder / certificate[1].name)})
        super().__init__(folder, password=password, superuser=DB_USER, trust_socket=True, settings=settings,
                         files=certificate or (), pg_bin=pg_bin)

    def create_database(self, name: str | None = None) -> str:
        return super().create_database(name or f"campus_tls_{secrets.token_hex(4)}")

    def connections(self, database: str) -> list[dict]:
        """The open client connections to `database`, each with pg_stat_ssl's view of it."""
        rows = self.psql("SELECT a.pid, s.ssl, coalesce(s.version, ''), coalesce(a.application_name, ''), "
                         "coalesce(host(a.client_addr), 'socket') FROM pg_stat_activity a "
                         "JOIN pg_stat_ssl s ON s.pid = a.pid "
                         f"WHERE a.datname = '{database}' AND a.backend_type = 'client backend' ORDER BY a.pid")
        return [{"pid": r[0], "ssl": r[1] == "t", "version": r[2], "application": r[3], "client": r[4]} for r in rows]

    def authorized(self, database: str) -> list[str]:
        """Every `connection authorized` line the server logged for `database` (log_connections)."""
        pattern = re.compile(rf"connection authorized: .*\bdatabase={re.escape(database)}(\s|$)")
        return [line for line in self.log.read_text(errors="replace").splitlines() if pattern.search(line)]


class Servers:
    def __init__(self, folder: Path, pki: Path, password: str, right_ca: Path, wrong_ca: Path,
                 tls: Cluster, plain: Cluster, misnamed: Cluster):
        self.folder, self.pki, self.password = folder, pki, password
        self.right_ca, self.wrong_ca = right_ca, wrong_ca
        self.tls, self.plain, self.misnamed = tls, plain, misnamed


@pytest.fixture(scope="module")
def servers():
    """Three throwaway clusters sharing one password: `tls` (ssl on, certificate for localhost and
    127.0.0.1 from the right CA), `plain` (ssl off), `misnamed` (ssl on, certificate from the right CA
    for db.example.invalid only). Stopped and removed afterwards."""
    pg_bin = postgres_binaries()
    folder = Path(tempfile.mkdtemp(prefix="campus-pg-tls-"))
    folder.chmod(0o755)
    pki = folder / "pki"
    pki.mkdir()
    pki.chmod(0o755)
    right_ca = make_ca(pki, "right-ca", "Campus TLS Test CA")
    wrong_ca = make_ca(pki, "wrong-ca", "Unrelated TLS Test CA")
    good = make_server_certificate(pki, "right-ca", "server", "localhost", "DNS:localhost,IP:127.0.0.1")
    other = make_server_certificate(pki, "right-ca", "elsewhere", "db.example.invalid", "DNS:db.example.invalid")
    password = "pg-" + secrets.token_urlsafe(18)
    clusters: list[Cluster] = []
    try:
        for name, certificate in (("tls", good), ("plain", None), ("misnamed", other)):
            clusters.append(Cluster(folder / name, password, certificate, pg_bin))
        yield Servers(folder, pki, password, right_ca, wrong_ca, *clusters)
    finally:
        for cluster in clusters:
            cluster.stop()
        if not os.environ.get("CAMPUS_KEEP_DATA"):
            shutil.rmtree(folder, ignore_errors=True)


# ---- campus serve --------------------------------------------------------------------------------------
def environment(servers: Servers, cluster: Cluster, database: str, data: Path, **settings: str | None) -> dict[str, str]:
    """The test process's environment without any campus or libpq database setting, pointed at `database`
    of `cluster`; `settings` added (a None value leaves the variable unset)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JWT_", "DB_", "DATABASE_", "PG", "CAMPUS_TOKEN"))
           and k not in PORT_VARIABLE.values() and k not in HOST_VARIABLE.values()}
    env.update({"APP_ENV": "development", "DATA_DIR": str(data), "JWT_SECRET_KEY": secrets.token_hex(32),
                "BCRYPT_COST": "4", "LOG_LEVEL": "warning", "SEED_DEFAULT_USERS": "true",
                "LOGIN_RATE_PER_MINUTE": "100000", "DATABASE_TYPE": "postgresql", "DB_HOST": "localhost",
                "DB_PORT": str(cluster.port), "DB_USER": DB_USER, "DB_NAME": database,
                "DB_PASSWORD": servers.password, "DB_POOL_MIN": "2"})
    for name, value in settings.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


class Campus:
    """One `campus serve <services>` on free ports, output to a log file."""

    def __init__(self, services: tuple[str, ...], env: dict[str, str], folder: Path):
        self.services = services
        self.ports = {name: free_port() for name in (services or tuple(SERVICES))}
        self.env = {**env, **{PORT_VARIABLE[name]: str(port) for name, port in self.ports.items()}}
        self.log = folder / f"campus-{'-'.join(services) or 'all'}-{secrets.token_hex(3)}.log"
        self.http = requests.Session()
        self.http.trust_env = False  # loopback only
        adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=32)
        self.http.mount("http://", adapter)
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen([campus_binary(), "serve", *services], cwd=folder, env=self.env,
                                            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def ready(self) -> bool:
        return all(answers_200(port, "/health/ready", 0.5) for port in self.ports.values())

    def wait_ready(self, deadline: float = READY_DEADLINE) -> None:
        end = time.monotonic() + deadline
        while not self.ready():
            if self.process.poll() is not None:
                raise AssertionError(f"campus serve {' '.join(self.services)} exited with {self.process.returncode} "
                                     f"instead of getting ready:\n{self.output()[-2000:]}")
            if time.monotonic() > end:
                raise AssertionError(f"campus serve {' '.join(self.services)} not ready within {deadline}s:\n"
                                     f"{self.output()[-2000:]}")
            time.sleep(0.1)

    def wait_refused(self, deadline: float = REFUSAL_DEADLINE) -> tuple[int, str]:
        """Waits for the process to stop by itself; fails at once if any service answers /health/ready
        200 first, or if it is still running after `deadline` seconds. Returns (exit code, output)."""
        end = time.monotonic() + deadline
        while self.process.poll() is None:
            if any(answers_200(port, "/health/ready", 0.5) for port in self.ports.values()):
                raise AssertionError(f"campus serve {' '.join(self.services)} became ready; expected start-up to "
                                     f"stop:\n{self.output()[-2000:]}")
            if time.monotonic() > end:
                raise AssertionError(f"campus serve {' '.join(self.services)} neither got ready nor stopped within "
                                     f"{deadline}s; expected start-up to stop:\n{self.output()[-2000:]}")
            time.sleep(0.1)
        return self.process.returncode, self.output()

    def url(self, service: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}{path}"

    def token(self, role: str = "student", user_id: int = 1) -> str:
        """A token as the gateway makes it (docs/contract.md §3), signed here with PyJWT."""
        now = int(time.time())
        claims = {"sub": str(user_id), "email": f"tls-{role}@example.com", "name": f"TLS {role}", "role": role,
                  "iat": now, "exp": now + 600, "iss": ISSUER, "jti": str(uuid.uuid4())}
        return jwt.encode(claims, self.env["JWT_SECRET_KEY"], algorithm="HS256")

    def get(self, service: str, path: str, token: str, **kwargs) -> requests.Response:
        return self.http.get(self.url(service, path), headers={"Authorization": f"Bearer {token}"},
                             timeout=15, **kwargs)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        self.http.close()


@contextmanager
def serve(services: tuple[str, ...], env: dict[str, str], folder: Path):
    campus = Campus(services, env, folder)
    try:
        yield campus
    finally:
        campus.stop()


# ---- what the server saw -------------------------------------------------------------------------------
def rooms_through_the_database(campus: Campus) -> None:
    """GET /rooms (read from PostgreSQL), once, then 24 at a time so the pool opens more connections."""
    token = campus.token("student")
    r = campus.get("booking", "/rooms", token, params={"limit": 200})
    assert r.status_code == 200, f"GET /rooms answered {r.status_code}: {r.text[:500]}"
    assert isinstance(r.json(), list) and len(r.json()) >= 8, f"the seeded room catalogue is missing: {r.text[:500]}"
    with ThreadPoolExecutor(24) as pool:
        statuses = list(pool.map(lambda _: campus.get("booking", "/rooms", token, params={"limit": 200}).status_code,
                                 range(72)))
    assert statuses == [200] * len(statuses), f"concurrent GET /rooms answered {sorted(set(statuses))}"


def assert_connections(cluster: Cluster, database: str, campus: Campus, encrypted: bool, at_least: int = 1) -> list[dict]:
    """The open connections of the service to `database` (pg_stat_ssl), and every connection it ever opened
    there (the server's log), are all encrypted (or all not); there are at least `at_least` open."""
    end = time.monotonic() + 10
    while True:
        open_now = cluster.connections(database)
        if len(open_now) >= at_least or time.monotonic() > end:
            break
        time.sleep(0.2)
    assert campus.process.poll() is None, f"campus exited while being checked:\n{campus.output()[-2000:]}"
    assert len(open_now) >= at_least, (f"pg_stat_activity shows {len(open_now)} connection(s) to {database}, "
                                       f"expected at least {at_least}: {open_now}")
    wrong = [c for c in open_now if c["ssl"] != encrypted]
    assert not wrong, (f"pg_stat_ssl: {len(wrong)} of {len(open_now)} open connection(s) to {database} have "
                       f"ssl={not encrypted}, expected ssl={encrypted}: {wrong}")
    if encrypted:
        assert all(c["version"].startswith("TLS") for c in open_now), f"no TLS version in pg_stat_ssl: {open_now}"
    logged = cluster.authorized(database)
    assert len(logged) >= len(open_now), f"log_connections logged fewer connections than are open: {logged}"
    wrong_lines = [line for line in logged if ("SSL enabled" in line) != encrypted]
    assert not wrong_lines, (f"{len(wrong_lines)} of the {len(logged)} connection(s) the service opened to {database} "
                             f"were {'not ' if encrypted else ''}encrypted (server log):\n" + "\n".join(wrong_lines[:10]))
    return open_now


def names_db_tls(output: str) -> bool:
    """The output names DB_TLS itself (not only DB_TLS_CA_FILE)."""
    return re.search(r"\bDB_TLS\b", output) is not None


CERTIFICATE_FAILED = re.compile(r"certificat\w*.{0,120}?(verif|trust|unknown|untrusted|chain|issuer|signature|"
                                r"not valid|invalid|mismatch|does not match|name)|"
                                r"(verif\w*|validat\w*).{0,120}?certificat", re.I | re.S)
NO_TLS_OFFERED = re.compile(r"(TLS|SSL).{0,120}?(not (offered|supported|available|enabled|accepted)|refus|declin|"
                            r"unsupported|reject|does ?n[o']t|did ?n[o']t|without)|"
                            r"(does ?n[o']t|did ?n[o']t|not|refus\w*|declin\w*|reject\w*).{0,60}?(TLS|SSL)", re.I | re.S)


# ---- (1) verify-full with the right CA ---------------------------------------------------------------------
def test_verify_full_with_the_right_ca_encrypts_every_booking_connection(servers, tmp_path):
    database = servers.tls.create_database()
    env = environment(servers, servers.tls, database, tmp_path / "data",
                      DB_TLS="verify-full", DB_TLS_CA_FILE=str(servers.right_ca))
    with serve(("booking",), env, tmp_path) as campus:
        campus.wait_ready()
        rooms_through_the_database(campus)
        assert_connections(servers.tls, database, campus, encrypted=True, at_least=2)


def test_verify_full_encrypts_the_connections_of_every_service(servers, tmp_path):
    """All six services in one process on one database (a schema each): sign-in, users, rooms,
    notifications and tickets all read PostgreSQL, the listeners and workers included — every connection
    encrypted."""
    database = servers.tls.create_database()
    env = environment(servers, servers.tls, database, tmp_path / "data",
                      DB_TLS="verify-full", DB_TLS_CA_FILE=str(servers.right_ca))
    with serve((), env, tmp_path) as campus:
        campus.wait_ready()
        login = campus.http.post(campus.url("gateway", "/auth/login"), timeout=15,
                                 json={"email": "tech@example.com", "password": "tech123"})
        assert login.status_code == 200, f"sign-in through the gateway answered {login.status_code}: {login.text[:500]}"
        token = login.json()["access_token"]
        for path in ("/api/rooms", "/api/tickets", "/api/notifications", "/auth/me"):
            r = campus.get("gateway", path, token)
            assert r.status_code == 200, f"GET {path} answered {r.status_code}: {r.text[:500]}"
        admin = campus.http.post(campus.url("gateway", "/auth/login"), timeout=15,
                                 json={"email": "admin@example.com", "password": "admin123"}).json()["access_token"]
        r = campus.get("gateway", "/api/users", admin)
        assert r.status_code == 200, f"GET /api/users answered {r.status_code}: {r.text[:500]}"
        time.sleep(2)  # outbox workers and listeners have run at least once
        assert_connections(servers.tls, database, campus, encrypted=True, at_least=5)


def test_verify_full_accepts_an_ip_address_the_certificate_names(servers, tmp_path):
    database = servers.tls.create_database()
    env = environment(servers, servers.tls, database, tmp_path / "data", DB_HOST="127.0.0.1",
                      DB_TLS="verify-full", DB_TLS_CA_FILE=str(servers.right_ca))
    with serve(("booking",), env, tmp_path) as campus:
        campus.wait_ready()
        rooms_through_the_database(campus)
        assert_connections(servers.tls, database, campus, encrypted=True)


# ---- (2) verify-full refuses a certificate that does not verify ---------------------------------------------
def test_verify_full_with_the_wrong_ca_stops_start_up(servers, tmp_path):
    database = servers.tls.create_database()
    env = environment(servers, servers.tls, database, tmp_path / "data",
                      DB_TLS="verify-full", DB_TLS_CA_FILE=str(servers.wrong_ca))
    with serve(("booking",), env, tmp_path) as campus:
        code, output = campus.wait_refused()
    assert code != 0, f"exit code 0 after refusing the server's certificate:\n{output[-2000:]}"
    assert names_db_tls(output), f"the message does not name DB_TLS:\n{output[-2000:]}"
    assert CERTIFICATE_FAILED.search(output), f"the message does not say the certificate did not verify:\n{output[-2000:]}"
    # Nothing got past the handshake: no session was ever authorised (no password sent to an unverified server).
    assert servers.tls.authorized(database) == [], f"connections were authorised: {servers.tls.authorized(database)}"


def test_verify_full_refuses_a_certificate_for_another_host(servers, tmp_path):
    """The right CA, but the certificate names db.example.invalid, not DB_HOST=localhost."""
    database = servers.misnamed.create_database()
    env = environment(servers, servers.misnamed, database, tmp_path / "data",
                      DB_TLS="verify-full", DB_TLS_CA_FILE=str(servers.right_ca))
    with serve(("booking",), env, tmp_path) as campus:
        code, output = campus.wait_refused()
    assert code != 0, f"exit code 0 after refusing the server's certificate:\n{output[-2000:]}"
    assert names_db_tls(output), f"the message does not name DB_TLS:\n{output[-2000:]}"
    assert CERTIFICATE_FAILED.search(output), f"the message does not say the certificate did not verify:\n{output[-2000:]}"
    assert servers.misnamed.authorized(database) == [], f"connections were authorised: {servers.misnamed.authorized(database)}"


def test_require_does_not_check_the_certificate(servers, tmp_path):
    """The same misnamed server is fine for `require` (encrypted, server not checked): the refusal
    above is the verification's, not the server's."""
    database = servers.misnamed.create_database()
    env = environment(servers, servers.misnamed, database, tmp_path / "data", DB_TLS="require")
    with serve(("booking",), env, tmp_path) as campus:
        campus.wait_ready()
        rooms_through_the_database(campus)
        assert_connections(servers.misnamed, database, campus, encrypted=True)


# ---- (3) a server that does not offer TLS -----------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["require", "verify-full"])
def test_a_server_without_tls_stops_start_up(servers, tmp_path, mode):
    database = servers.plain.create_database()
    env = environment(servers, servers.plain, database, tmp_path / "data", DB_TLS=mode,
                      DB_TLS_CA_FILE=str(servers.right_ca) if mode == "verify-full" else None)
    with serve(("booking",), env, tmp_path) as campus:
        code, output = campus.wait_refused()
    assert code != 0, f"exit code 0 after the server refused TLS:\n{output[-2000:]}"
    assert names_db_tls(output), f"the message does not name DB_TLS:\n{output[-2000:]}"
    assert NO_TLS_OFFERED.search(output), f"the message does not say the server does not offer TLS:\n{output[-2000:]}"
    assert not CERTIFICATE_FAILED.search(output), f"the message blames a certificate, not the missing TLS:\n{output[-2000:]}"
    # No fallback to an unencrypted session.
    assert servers.plain.authorized(database) == [], f"unencrypted connections were made: {servers.plain.authorized(database)}"


# ---- (4) require against a TLS server --------------------------------------------------------------------------
def test_require_encrypts_every_connection(servers, tmp_path):
    database = servers.tls.create_database()
    env = environment(servers, servers.tls, database, tmp_path / "data", DB_TLS="require")
    with serve(("booking",), env, tmp_path) as campus:
        campus.wait_ready()
        rooms_through_the_database(campus)
        assert_connections(servers.tls, database, campus, encrypted=True, at_least=2)


# ---- (5) disable: the check can tell ------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["disable", None], ids=["disable", "unset"])
def test_disable_connects_without_tls(servers, tmp_path, mode):
    """The control: the same server, the same checks, and the connections show ssl = false."""
    database = servers.tls.create_database()
    env = environment(servers, servers.tls, database, tmp_path / "data", DB_TLS=mode)
    with serve(("booking",), env, tmp_path) as campus:
        campus.wait_ready()
        rooms_through_the_database(campus)
        assert_connections(servers.tls, database, campus, encrypted=False, at_least=2)


def test_an_empty_ca_file_setting_counts_as_unset(servers, tmp_path):
    """.env.example ships `DB_TLS=disable` with an empty `DB_TLS_CA_FILE=`: that must start."""
    database = servers.tls.create_database()
    env = environment(servers, servers.tls, database, tmp_path / "data", DB_TLS="disable", DB_TLS_CA_FILE="")
    with serve(("booking",), env, tmp_path) as campus:
        campus.wait_ready()


# ---- (6) bad settings: exit 78 --------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["require", "disable", None], ids=["require", "disable", "unset"])
def test_a_ca_file_with_another_mode_stops_start_up_with_78(servers, tmp_path, mode):
    database = servers.tls.create_database()
    env = environment(servers, servers.tls, database, tmp_path / "data", DB_TLS=mode,
                      DB_TLS_CA_FILE=str(servers.right_ca))
    with serve(("booking",), env, tmp_path) as campus:
        code, output = campus.wait_refused()
    assert code == CONFIG_EXIT, f"exit code {code}, expected {CONFIG_EXIT}:\n{output[-2000:]}"
    assert "DB_TLS_CA_FILE" in output, f"the message does not name DB_TLS_CA_FILE:\n{output[-2000:]}"


@pytest.mark.parametrize("case", ["missing", "folder", "empty", "not-pem"])
def test_an_unreadable_ca_file_stops_start_up_with_78(servers, tmp_path, case):
    """A CA file that cannot be read, or holds no PEM certificate, is a bad setting: never "no CA"."""
    database = servers.tls.create_database()
    path = {"missing": tmp_path / "nowhere" / "ca.crt", "folder": tmp_path,
            "empty": tmp_path / "empty.pem", "not-pem": tmp_path / "ca.der"}[case]
    if case == "empty":
        path.write_bytes(b"")
    elif case == "not-pem":
        openssl(tmp_path, "x509", "-in", str(servers.right_ca), "-outform", "DER", "-out", str(path))
    env = environment(servers, servers.tls, database, tmp_path / "data", DB_TLS="verify-full", DB_TLS_CA_FILE=str(path))
    with serve(("booking",), env, tmp_path) as campus:
        code, output = campus.wait_refused()
    assert code == CONFIG_EXIT, f"exit code {code}, expected {CONFIG_EXIT}:\n{output[-2000:]}"
    assert "DB_TLS_CA_FILE" in output, f"the message does not name DB_TLS_CA_FILE:\n{output[-2000:]}"


def test_an_unknown_mode_stops_start_up_naming_db_tls(servers, tmp_path):
    database = servers.tls.create_database()
    env = environment(servers, servers.tls, database, tmp_path / "data", DB_TLS="verify-ca")
    with serve(("booking",), env, tmp_path) as campus:
        code, output = campus.wait_refused()
    assert code != 0, f"exit code 0 for DB_TLS=verify-ca:\n{output[-2000:]}"
    assert names_db_tls(output), f"the message does not name DB_TLS:\n{output[-2000:]}"
