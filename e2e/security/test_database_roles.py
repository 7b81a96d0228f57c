"""Least privilege on PostgreSQL: `campus db-setup` and one role per service (docs/contract.md §11 "Least
privilege on PostgreSQL"; docs/deploy.md, "With Docker Compose").

`campus db-setup --admin-user U [--admin-password-file F] --password-files '/path/db_password_{service}'
[--role-prefix campus_]` connects to DB_HOST/DB_PORT/DB_NAME (DB_TLS) as the administrator (password from
the file or PGPASSWORD) and, for gateway, users, booking, notification and maintenance, creates or updates
the login role <prefix><service> (no superuser, CREATEDB or CREATEROLE; password from its file), makes it
the owner of the schema <service> and of its tables (an existing installation's are handed over), revokes
PUBLIC's rights on those schemas and CREATE on `public`, and installs btree_gist. It is idempotent. Each
service then runs with DB_USER=campus_<service> and its password, and works in its own schema only.

One throwaway PostgreSQL 15 cluster on a free loopback port with password authentication over TCP
(initdb --auth-host=scram-sha-256, a superuser `postgres` with a password); the server runs as the
`postgres` user when the test runs as root (initdb refuses root): support/postgres.py. What the
roles may and may not do is asked of PostgreSQL itself, connecting with psycopg as each role with its
password (SQLSTATE 42501 → psycopg.errors.InsufficientPrivilege).

  1. a fresh database: db-setup exits 0; the five roles (login, not superuser, no CREATEDB/CREATEROLE),
     each the owner of its schema, PUBLIC without rights there nor CREATE on `public`, btree_gist;
  2. the six services as six `campus serve <service>` processes, each as its role (gpa has no data and
     no role: DB_USER=campus_gpa must not matter), sign-in, a booking and a ticket, and the notices they
     send delivered across services;
  3. isolation: campus_booking cannot read users.users, create a schema or a table in `public`, but reads
     booking.rooms; campus_notification likewise against maintenance.tickets; and every role against
     every table of every other service's schema;
  4. every table (and sequence, view, function) of each schema belongs to its role;
  5. idempotence: db-setup again (admin password from PGPASSWORD this time) exits 0 and the services keep
     working; a changed password file changes that role's password (old refused, new accepted);
  6. an existing installation (the services first ran as the superuser) is handed over: its data is
     still there for the services running as their roles, and its tables belong to the roles;
  7. refusals: a pattern without {service}, a missing or empty password file, `--password x`, a wrong
     or missing administrator password; no password ever on a command line or in db-setup's output.

Run: CAMPUS_BIN=path/to/campus scripts/security-test e2e/security/test_database_roles.py
The tests share the cluster and run in file order (the fresh database's services start once); they do
not use the suite's shared server."""
from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
import requests
from psycopg import errors, sql

from support.campus import DEFAULT_USERS, campus_binary
from support.postgres import ThrowawayCluster
from support.services import HOST_VARIABLE, PORT_VARIABLE, SERVICES, answers_200, free_port
from support.slots import Slots

SUPERUSER = "postgres"
PREFIX = "campus_"
DATA_SERVICES = ("gateway", "users", "booking", "notification", "maintenance")  # the services with a schema
ROLES = {service: PREFIX + service for service in DATA_SERVICES}
READY_DEADLINE = 90   # seconds for six processes to answer /health/ready 200
SETUP_DEADLINE = 120  # seconds for one db-setup run
NOTICE_DEADLINE = 20  # seconds for a notice to travel from its sender to the notification service


# ---- the cluster ----------------------------------------------------------------------------------------
class Cluster(ThrowawayCluster):
    """PostgreSQL on a free loopback port (support/postgres.py): TCP needs a password (scram-sha-256) for
    everyone, the superuser `postgres` included."""

    def __init__(self, folder: Path, password: str):
        super().__init__(folder / "server", password=password, superuser=SUPERUSER, trust_socket=True,
                         settings={"max_connections": "300"})

    def connect(self, database: str, user: str = SUPERUSER, password: str | None = None) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, dbname=database, user=user,
                               password=self.password if password is None else password,
                               connect_timeout=10, autocommit=True)

    def query(self, database: str, statement: str, *params) -> list[tuple]:
        """Rows of `statement`, run as the superuser."""
        with self.connect(database) as conn:
            return conn.execute(statement, params or None).fetchall()

    def create_database(self, name: str) -> str:
        with self.connect("postgres") as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name


class World:
    """The cluster, the secrets folder (the superuser's password file, one file per role, one for gpa),
    the JWT key the services share, and one layout of booking slots for the whole module."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.cluster = Cluster(folder, "pg-" + secrets.token_urlsafe(18))
        self.secrets = folder / "secrets"
        self.secrets.mkdir(mode=0o700)
        self.admin_password_file = self.secrets / "db_password"
        self.write(self.admin_password_file, self.cluster.password)
        self.pattern = str(self.secrets / "db_password_{service}")
        self.passwords: dict[str, str] = {}
        for service in DATA_SERVICES:
            # One with every character SQL quoting must get right.
            password = ("it's-\\\"$1;--" if service == "notification" else "role-") + secrets.token_urlsafe(18)
            self.set_password(service, password)
        self.gpa_password_file = self.secrets / "db_password_gpa"
        self.write(self.gpa_password_file, "gpa-" + secrets.token_urlsafe(18))
        self.jwt_secret = secrets.token_hex(32)
        self.slots = Slots()

    @staticmethod
    def write(path: Path, content: str) -> None:
        path.write_text(content + "\n")
        path.chmod(0o600)

    def password_file(self, service: str) -> Path:
        return Path(self.pattern.replace("{service}", service))

    def set_password(self, service: str, password: str) -> None:
        self.passwords[service] = password
        self.write(self.password_file(service), password)

    def all_secrets(self) -> list[str]:
        return [self.cluster.password, *self.passwords.values()]


@pytest.fixture(scope="module")
def world():
    folder = Path(tempfile.mkdtemp(prefix="campus-pg-roles-"))
    folder.chmod(0o755)
    made = None
    try:
        made = World(folder)
        yield made
    finally:
        if made:
            made.cluster.stop()
        if not os.environ.get("CAMPUS_KEEP_DATA"):
            shutil.rmtree(folder, ignore_errors=True)


# ---- campus db-setup ---------------------------------------------------------------------------------------
def clean_environment() -> dict[str, str]:
    """The test process's environment without any campus or libpq database setting."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("JWT_", "DB_", "DATABASE_", "PG", "CAMPUS_TOKEN"))
            and k not in PORT_VARIABLE.values() and k not in HOST_VARIABLE.values()}


def command_lines_holding(needles: list[str]) -> list[str]:
    """The command lines of every process on this machine that hold one of `needles`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if any(n.encode() in argv for n in needles):
            line = argv.replace(b"\0", b" ").decode(errors="replace")[:300]
            found.append(f"pid {entry.name}: {line}")
    return found


class SetupRun:
    def __init__(self, argv: list[str], code: int, output: str, leaked: list[str]):
        self.argv, self.code, self.output, self.leaked = argv, code, output, leaked

    def __str__(self) -> str:
        return f"`campus {' '.join(self.argv)}` exited {self.code}:\n{self.output[-3000:]}"


def db_setup(world: World, database: str, *args: str, admin: str | None = "file",
             admin_password: str | None = None, pattern: str | None = None, prefix: str | None = None) -> SetupRun:
    """Runs `campus db-setup` against `database`: `admin` "file" (--admin-password-file), "env" (PGPASSWORD)
    or None (neither); `args` replace the usual --password-files/--role-prefix when given. While it runs,
    every process's command line is searched for the passwords."""
    env = {**clean_environment(), "DB_HOST": "127.0.0.1", "DB_PORT": str(world.cluster.port), "DB_NAME": database,
           "DB_TLS": "disable", "LOG_LEVEL": "warning"}
    argv = ["db-setup", "--admin-user", SUPERUSER]
    password = world.cluster.password if admin_password is None else admin_password
    if admin == "file":
        password_file = world.folder / f"admin-{secrets.token_hex(3)}"
        World.write(password_file, password)
        argv += ["--admin-password-file", str(password_file)]
    elif admin == "env":
        env["PGPASSWORD"] = password
    if args:
        argv += list(args)
    else:
        argv += ["--password-files", pattern or world.pattern]
        if prefix:
            argv += ["--role-prefix", prefix]
    assert not any(s in " ".join(argv) for s in world.all_secrets() + [password]), "the test put a password in argv"
    log = world.folder / f"db-setup-{secrets.token_hex(3)}.log"
    leaked: list[str] = []
    with open(log, "wb") as out:
        process = subprocess.Popen([campus_binary(), *argv], cwd=world.folder, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        end = time.monotonic() + SETUP_DEADLINE
        try:
            while process.poll() is None:
                leaked += command_lines_holding(world.all_secrets() + [password])
                if time.monotonic() > end:
                    raise AssertionError(f"campus {' '.join(argv)} still running after {SETUP_DEADLINE}s:\n"
                                         f"{log.read_text(errors='replace')[-2000:]}")
                time.sleep(0.02)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, 9)
                process.wait()
    return SetupRun(argv, process.returncode, log.read_text(errors="replace"), sorted(set(leaked)))


def assert_setup_worked(world: World, run: SetupRun) -> None:
    assert run.code == 0, str(run)
    assert_no_secret_shown(world, run)


def assert_no_secret_shown(world: World, run: SetupRun) -> None:
    shown = [s for s in world.all_secrets() if s in run.output]
    assert not shown, f"db-setup printed {len(shown)} password(s):\n{run.output[-2000:]}"
    assert not run.leaked, "a password was on a command line while db-setup ran:\n" + "\n".join(run.leaked)


# ---- what PostgreSQL says ----------------------------------------------------------------------------------
def tables(world: World, database: str, schema: str) -> list[str]:
    return [r[0] for r in world.cluster.query(database, "SELECT tablename FROM pg_tables WHERE schemaname = %s "
                                                        "ORDER BY tablename", schema)]


def assert_roles_and_schemas(world: World, database: str) -> None:
    """The five roles as §11 says, each the owner of its schema only, PUBLIC without rights there."""
    rows = world.cluster.query(database, "SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolcanlogin, "
                                         "rolreplication, rolbypassrls FROM pg_roles WHERE rolname = ANY(%s)",
                               list(ROLES.values()))
    found = {r[0]: r[1:] for r in rows}
    assert sorted(found) == sorted(ROLES.values()), f"roles found: {sorted(found)}"
    for role, (superuser, createdb, createrole, login, replication, bypassrls) in found.items():
        assert login, f"{role} cannot log in"
        assert not (superuser or createdb or createrole or replication or bypassrls), (
            f"{role}: rolsuper={superuser} rolcreatedb={createdb} rolcreaterole={createrole} "
            f"rolreplication={replication} rolbypassrls={bypassrls}")
    owners = dict(world.cluster.query(database, "SELECT nspname, pg_get_userbyid(nspowner) FROM pg_namespace "
                                                "WHERE nspname = ANY(%s)", list(DATA_SERVICES)))
    assert owners == {service: ROLES[service] for service in DATA_SERVICES}, f"schema owners: {owners}"
    for service in DATA_SERVICES:
        for other, role in ROLES.items():
            if other == service:
                continue
            usage, create = world.cluster.query(
                database, "SELECT has_schema_privilege(%s, %s, 'USAGE'), has_schema_privilege(%s, %s, 'CREATE')",
                role, service, role, service)[0]
            assert not (usage or create), f"{role} has USAGE={usage} CREATE={create} on schema {service}"
        public = world.cluster.query(database, "SELECT has_schema_privilege('public', %s, 'USAGE'), "
                                               "has_schema_privilege('public', %s, 'CREATE')", service, service)[0]
        assert public == (False, False), f"PUBLIC has (USAGE, CREATE) = {public} on schema {service}"
    public_create = world.cluster.query(database, "SELECT has_schema_privilege('public', 'public', 'CREATE')")[0][0]
    assert public_create is False, "PUBLIC may still CREATE in schema public"
    for role in ROLES.values():
        database_create = world.cluster.query(database, "SELECT has_database_privilege(%s, current_database(), "
                                                        "'CREATE')", role)[0][0]
        assert database_create is False, f"{role} may CREATE schemas in the database"
        memberships = world.cluster.query(database, "SELECT b.rolname FROM pg_roles b WHERE b.rolname <> %s AND "
                                                     "pg_has_role(%s, b.oid, 'USAGE')", role, role)
        assert memberships == [], f"{role} has the rights of {[m[0] for m in memberships]}"
    extension = world.cluster.query(database, "SELECT extname FROM pg_extension WHERE extname = 'btree_gist'")
    assert extension == [("btree_gist",)], "btree_gist is not installed"


def assert_objects_owned(world: World, database: str) -> None:
    """Every table of each service's schema (and its sequences, views and functions) belongs to its role."""
    for service, role in ROLES.items():
        found = world.cluster.query(database, "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = %s",
                                    service)
        assert found, f"schema {service} has no tables: the services did not migrate"
        wrong = [(name, owner) for name, owner in found if owner != role]
        assert not wrong, f"tables of {service} not owned by {role}: {wrong}"
        others = world.cluster.query(
            database, "SELECT c.relname, c.relkind, pg_get_userbyid(c.relowner) FROM pg_class c "
                      "JOIN pg_namespace n ON n.oid = c.relnamespace "
                      "WHERE n.nspname = %s AND c.relkind IN ('S', 'v', 'm', 'p', 'f') "
                      "AND pg_get_userbyid(c.relowner) <> %s", service, role)
        assert not others, f"sequences/views of {service} not owned by {role}: {others}"
        functions = world.cluster.query(
            database, "SELECT p.proname, pg_get_userbyid(p.proowner) FROM pg_proc p "
                      "JOIN pg_namespace n ON n.oid = p.pronamespace "
                      "WHERE n.nspname = %s AND pg_get_userbyid(p.proowner) <> %s", service, role)
        assert not functions, f"functions of {service} not owned by {role}: {functions}"


def connect_as(world: World, database: str, service: str, password: str | None = None) -> psycopg.Connection:
    return world.cluster.connect(database, ROLES[service], world.passwords[service] if password is None else password)


def assert_denied(conn: psycopg.Connection, statement: str, what: str) -> None:
    with pytest.raises(errors.InsufficientPrivilege) as refused:
        conn.execute(statement)
    assert "permission denied" in str(refused.value), f"{what}: {refused.value}"


def assert_isolated(world: World, database: str, role_service: str, foreign_schema: str, foreign_table: str) -> None:
    """The role of `role_service` is refused `foreign_schema.foreign_table`, a new schema and a table in
    `public`, and reads a table of its own schema."""
    own = tables(world, database, role_service)
    assert foreign_table in tables(world, database, foreign_schema), (
        f"{foreign_schema}.{foreign_table} does not exist: {tables(world, database, foreign_schema)}")
    assert own, f"schema {role_service} has no tables"
    with connect_as(world, database, role_service) as conn:
        assert conn.execute("SELECT current_user").fetchone()[0] == ROLES[role_service]
        assert_denied(conn, f'SELECT * FROM "{foreign_schema}"."{foreign_table}" LIMIT 1',
                      f"{ROLES[role_service]} reading {foreign_schema}.{foreign_table}")
        assert_denied(conn, f"CREATE SCHEMA x_{secrets.token_hex(3)}", f"{ROLES[role_service]} creating a schema")
        assert_denied(conn, f"CREATE TABLE public.x_{secrets.token_hex(3)} (id int)",
                      f"{ROLES[role_service]} creating a table in public")
        table = "rooms" if role_service == "booking" else own[0]
        assert table in own, f"{role_service}.{table} does not exist: {own}"
        conn.execute(f'SELECT count(*) FROM "{role_service}"."{table}"').fetchone()


# ---- the services ------------------------------------------------------------------------------------------
class Deployment:
    """The six services on free ports against one database: separate `campus serve <service>` processes
    (each as its role, gpa as campus_gpa), or one `campus serve` as `single_user`."""

    def __init__(self, world: World, database: str, single_user: str | None = None):
        self.world, self.database, self.single_user = world, database, single_user
        self.ports = {name: free_port() for name in SERVICES}
        self.folder = world.folder / f"run-{database}-{secrets.token_hex(3)}"
        self.folder.mkdir()
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self.http = requests.Session()
        self.http.trust_env = False  # loopback only

    def environment(self, service: str) -> dict[str, str]:
        if self.single_user:
            user, password_file = self.single_user, self.world.admin_password_file
        elif service == "gpa":
            user, password_file = PREFIX + "gpa", self.world.gpa_password_file
        else:
            user, password_file = ROLES[service], self.world.password_file(service)
        return {**clean_environment(), "APP_ENV": "development", "DATA_DIR": str(self.folder / f"data-{service}"),
                "JWT_SECRET_KEY": self.world.jwt_secret, "BCRYPT_COST": "4", "LOG_LEVEL": "warning",
                "SEED_DEFAULT_USERS": "true", "LOGIN_RATE_PER_MINUTE": "100000", "DATABASE_TYPE": "postgresql",
                "DB_HOST": "127.0.0.1", "DB_PORT": str(self.world.cluster.port), "DB_NAME": self.database,
                "DB_TLS": "disable", "DB_USER": user, "DB_PASSWORD_FILE": str(password_file), "DB_POOL_MIN": "1",
                **{PORT_VARIABLE[name]: str(port) for name, port in self.ports.items()}}

    def start(self, *only: str) -> "Deployment":
        for service in only or (("all",) if self.single_user else tuple(SERVICES)):
            log = self.folder / f"{service}-{secrets.token_hex(2)}.log"
            self.logs[service] = log
            with open(log, "wb") as out:
                self.processes[service] = subprocess.Popen(
                    [campus_binary(), "serve", *(() if service == "all" else (service,))], cwd=self.folder,
                    env=self.environment(service), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    start_new_session=True)
        return self

    def output(self, service: str) -> str:
        return self.logs[service].read_text(errors="replace")[-2500:]

    def wait_ready(self) -> None:
        end = time.monotonic() + READY_DEADLINE
        pending = dict(self.ports)
        while pending:
            for service, process in self.processes.items():
                if process.poll() is not None:
                    raise AssertionError(f"`campus serve {service}` exited with {process.returncode} instead of "
                                         f"getting ready:\n{self.output(service)}")
            for name, port in list(pending.items()):
                if answers_200(port, "/health/ready", 0.5):
                    del pending[name]
            if pending and time.monotonic() > end:
                raise AssertionError(f"not ready within {READY_DEADLINE}s: {sorted(pending)}\n" +
                                     "\n".join(f"--- {s}:\n{self.output(s)}" for s in self.processes))
            time.sleep(0.1)

    def stop(self, *only: str) -> None:
        for service in only or list(self.processes):
            process = self.processes.pop(service, None)
            if process and process.poll() is None:
                os.killpg(process.pid, 15)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, 9)
                    process.wait()
        if not only:
            self.http.close()

    def restart(self, service: str) -> None:
        self.stop(service)
        self.start(service)
        self.wait_ready()

    # HTTP, through the gateway
    def call(self, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.http.request(method, f"http://127.0.0.1:{self.ports['gateway']}{path}", headers=headers,
                                 timeout=20, **kwargs)

    def login(self, role: str) -> str:
        email, password = DEFAULT_USERS[role]
        r = self.call("POST", "/auth/login", json={"email": email, "password": password})
        assert r.status_code == 200, f"sign-in of {email} through the gateway answered {r.status_code}: {r.text[:500]}"
        return r.json()["access_token"]

    def notices(self, token: str) -> list[dict]:
        r = self.call("GET", "/api/notifications", token, params={"limit": 200})
        assert r.status_code == 200, f"GET /api/notifications answered {r.status_code}: {r.text[:500]}"
        return r.json()

    def wait_notice(self, token: str, kind: str, ident: int, who: str) -> dict:
        end = time.monotonic() + NOTICE_DEADLINE
        while True:
            found = [n for n in self.notices(token) if (n.get("link") or {}).get("kind") == kind
                     and str((n.get("link") or {}).get("id")) == str(ident)]
            if found:
                return found[0]
            if time.monotonic() > end:
                raise AssertionError(f"no notice about {kind} {ident} reached {who} within {NOTICE_DEADLINE}s: "
                                     f"{self.notices(token)[:5]}")
            time.sleep(0.25)

    def journey(self, role: str) -> dict:
        """`role` signs in, books a room and reports a problem; the booker is told of the booking and the
        technicians of the ticket (booking → notification, maintenance → notification)."""
        token = self.login(role)
        r = self.call("GET", "/api/rooms", token, params={"limit": 200})
        assert r.status_code == 200, f"GET /api/rooms answered {r.status_code}: {r.text[:500]}"
        rooms = [room["id"] for room in r.json() if not room["faculty_only"]]
        assert rooms, f"no open rooms: {r.text[:500]}"
        body = {**self.world.slots.next(rooms), "purpose": "Least-privilege check"}
        r = self.call("POST", "/api/bookings", token, json=body)
        assert r.status_code == 201, f"POST /api/bookings {body} answered {r.status_code}: {r.text[:500]}"
        booking = r.json()["id"]
        r = self.call("GET", "/api/bookings", token, params={"limit": 200})
        assert r.status_code == 200 and booking in [b["id"] for b in r.json()], f"GET /api/bookings: {r.text[:500]}"
        r = self.call("POST", "/api/tickets", token, json={"title": "Flickering light in the reading room",
                                                           "description": "The ceiling light flickers all day",
                                                           "location": "Library, reading room 2"})
        assert r.status_code == 201, f"POST /api/tickets answered {r.status_code}: {r.text[:500]}"
        ticket = r.json()["id"]
        self.wait_notice(token, "booking", booking, f"the {role} who booked")
        self.wait_notice(self.login("technician"), "ticket", ticket, "the technicians")
        return {"token": token, "booking": booking, "ticket": ticket}

    def database_users(self) -> set[str]:
        """Who the services are connected to the database as, now (pg_stat_activity)."""
        return {r[0] for r in self.world.cluster.query(
            self.database, "SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = %s "
                           "AND backend_type = 'client backend' AND pid <> pg_backend_pid()", self.database)}


# ---- the fresh database, its db-setup and its services (shared by tests 1–5) -------------------------------
@pytest.fixture(scope="module")
def fresh(world):
    database = world.cluster.create_database("campus_roles")
    return database, db_setup(world, database, admin="file")


@pytest.fixture(scope="module")
def fresh_services(world, fresh):
    database, run = fresh
    assert run.code == 0, f"db-setup failed, nothing to run the services on: {run}"
    deployment = Deployment(world, database)
    try:
        deployment.start()
        deployment.wait_ready()
        yield deployment
    finally:
        deployment.stop()


# ---- 1. a fresh database -----------------------------------------------------------------------------------
def test_db_setup_on_a_fresh_database_creates_one_unprivileged_role_per_schema(world, fresh):
    database, run = fresh
    assert_setup_worked(world, run)
    assert_roles_and_schemas(world, database)


# ---- 2. the services as their roles ------------------------------------------------------------------------
def test_every_service_runs_as_its_own_role_end_to_end(world, fresh_services):
    deployment = fresh_services
    journey = deployment.journey("student")
    admin = deployment.login("admin")
    r = deployment.call("GET", "/api/users", admin)
    assert r.status_code == 200, f"GET /api/users answered {r.status_code}: {r.text[:500]}"
    r = deployment.call("GET", "/api/tickets", journey["token"])
    assert r.status_code == 200 and journey["ticket"] in [t["id"] for t in r.json()], \
        f"GET /api/tickets: {r.text[:500]}"
    users = deployment.database_users()
    assert users == set(ROLES.values()), \
        f"the services are connected as {sorted(users)}, expected {sorted(ROLES.values())}"
    leaked = command_lines_holding(world.all_secrets())
    assert not leaked, "a password is on a running process's command line:\n" + "\n".join(leaked)


# ---- 3. isolation ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("role_service", "foreign_schema", "foreign_table"),
                         [("booking", "users", "users"), ("notification", "maintenance", "tickets")])
def test_a_role_cannot_reach_outside_its_schema(world, fresh_services, role_service, foreign_schema, foreign_table):
    assert_isolated(world, fresh_services.database, role_service, foreign_schema, foreign_table)


def test_no_role_reads_any_table_of_another_service(world, fresh_services):
    database = fresh_services.database
    schema_tables = {service: tables(world, database, service) for service in DATA_SERVICES}
    assert all(schema_tables.values()), f"a schema without tables: {schema_tables}"
    for service in DATA_SERVICES:
        with connect_as(world, database, service) as conn:
            for other, names in schema_tables.items():
                for name in names:
                    statement = f'SELECT 1 FROM "{other}"."{name}" LIMIT 1'
                    if other == service:
                        conn.execute(statement).fetchall()
                    else:
                        assert_denied(conn, statement, f"{ROLES[service]} reading {other}.{name}")


# ---- 4. ownership ------------------------------------------------------------------------------------------
def test_every_table_belongs_to_its_services_role(world, fresh_services):
    assert_objects_owned(world, fresh_services.database)


# ---- 5. idempotence and password changes -------------------------------------------------------------------
def test_db_setup_again_changes_nothing_but_passwords(world, fresh_services):
    deployment = fresh_services
    database = deployment.database
    before = deployment.journey("student")

    again = db_setup(world, database, admin="env")  # the administrator's password from PGPASSWORD
    assert_setup_worked(world, again)
    assert_roles_and_schemas(world, database)
    assert_objects_owned(world, database)
    deployment.wait_ready()
    deployment.journey("student")

    # A new password for booking's role only: the old one stops working, the new one works.
    old = world.passwords["booking"]
    world.set_password("booking", "new-" + secrets.token_urlsafe(18))
    changed = db_setup(world, database, admin="env")
    assert_setup_worked(world, changed)
    with pytest.raises(psycopg.OperationalError) as refused:
        connect_as(world, database, "booking", password=old).close()
    assert "password authentication failed" in str(refused.value), str(refused.value)
    with connect_as(world, database, "booking") as conn:
        assert conn.execute("SELECT count(*) FROM booking.rooms").fetchone()[0] >= 1
    for service in DATA_SERVICES:  # the others' passwords are unchanged
        connect_as(world, database, service).close()

    # Booking restarted with its new password file: works, the earlier bookings still there.
    deployment.restart("booking")
    deployment.journey("faculty")
    r = deployment.call("GET", "/api/bookings", before["token"], params={"limit": 200})
    assert r.status_code == 200 and before["booking"] in [b["id"] for b in r.json()], \
        f"GET /api/bookings: {r.text[:500]}"
    assert deployment.database_users() == set(ROLES.values())


# ---- 6. an existing installation is handed over ------------------------------------------------------------
def test_an_installation_made_by_the_superuser_is_handed_over(world):
    database = world.cluster.create_database("campus_legacy")
    legacy = Deployment(world, database, single_user=SUPERUSER)
    try:
        legacy.start()
        legacy.wait_ready()
        old = legacy.journey("student")
    finally:
        legacy.stop()
    for service in DATA_SERVICES:  # the precondition: the superuser made and owns it all
        found = world.cluster.query(database, "SELECT tableowner FROM pg_tables WHERE schemaname = %s", service)
        assert found and {owner for (owner,) in found} == {SUPERUSER}, f"before db-setup, {service}'s tables: {found}"

    run = db_setup(world, database, admin="file")
    assert_setup_worked(world, run)
    assert_roles_and_schemas(world, database)
    assert_objects_owned(world, database)

    deployment = Deployment(world, database)
    try:
        deployment.start()
        deployment.wait_ready()
        token = deployment.login("student")
        r = deployment.call("GET", "/api/bookings", token, params={"limit": 200})
        assert r.status_code == 200, f"GET /api/bookings answered {r.status_code}: {r.text[:500]}"
        assert old["booking"] in [b["id"] for b in r.json()], f"the booking made before is gone: {r.text[:500]}"
        r = deployment.call("GET", "/api/tickets", token, params={"limit": 200})
        assert r.status_code == 200 and old["ticket"] in [t["id"] for t in r.json()], \
            f"GET /api/tickets: {r.text[:500]}"
        deployment.wait_notice(token, "booking", old["booking"], "the student (a notice from before)")
        deployment.journey("student")  # writing works too (sequences included)
        assert deployment.database_users() == set(ROLES.values()), deployment.database_users()
        assert_isolated(world, database, "booking", "users", "users")
        assert_isolated(world, database, "notification", "maintenance", "tickets")
        assert_objects_owned(world, database)
    finally:
        deployment.stop()


# ---- 7. refusals -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def empty_database(world):
    return world.cluster.create_database("campus_refusals")


def roles_named(world: World, prefix: str) -> list[str]:
    return [r[0] for r in world.cluster.query("postgres", "SELECT rolname FROM pg_roles WHERE rolname LIKE %s",
                                              prefix.replace("_", r"\_") + "%")]


def test_a_pattern_without_service_is_refused(world, empty_database):
    run = db_setup(world, empty_database, pattern=str(world.secrets / "db_password"), prefix="nopattern_")
    assert run.code != 0, str(run)
    assert "{service}" in run.output and "--password-files" in run.output, f"no clear message: {run}"
    assert roles_named(world, "nopattern_") == []
    assert_no_secret_shown(world, run)


@pytest.mark.parametrize("case", ["missing", "empty"])
def test_a_missing_or_empty_password_file_is_refused_naming_it(world, empty_database, case):
    folder = world.folder / f"partial-{case}"
    folder.mkdir()
    for service in DATA_SERVICES:
        if service != "notification":
            World.write(folder / f"db_password_{service}", world.passwords[service])
    bad = folder / "db_password_notification"
    if case == "empty":
        bad.write_text("\n")
    prefix = f"{case}_"
    run = db_setup(world, empty_database, pattern=str(folder / "db_password_{service}"), prefix=prefix)
    assert run.code != 0, str(run)
    assert str(bad) in run.output, f"the message does not name {bad}: {run}"
    made = roles_named(world, prefix)
    assert made == [], f"roles were made although a password was missing: {made}"
    assert_no_secret_shown(world, run)


@pytest.mark.parametrize("option", ["--password", "--admin-password", "--role-password"])
def test_no_password_is_taken_from_the_command_line(world, empty_database, option):
    run = db_setup(world, empty_database, option, "x-not-a-secret", "--password-files", world.pattern,
                   "--role-prefix", "cmdline_")
    assert run.code != 0, str(run)
    assert re.search(rf"{option}(?![\w-])", run.output), f"the refusal does not name {option}: {run}"
    assert roles_named(world, "cmdline_") == []


def test_the_help_offers_no_option_that_takes_a_password(world):
    result = subprocess.run([campus_binary(), "db-setup", "--help"], capture_output=True, text=True, timeout=30,
                            env=clean_environment(), cwd=world.folder)
    text = result.stdout + result.stderr
    assert result.returncode == 0 and "--password-files" in text, f"no db-setup help:\n{text[-2000:]}"
    valued = re.findall(r"(--[\w-]*pass[\w-]*)\s+<([^>]+)>", text)
    assert valued, f"no option with a value found in:\n{text}"
    taking_secrets = sorted({name for name, _ in valued if not re.search(r"-files?$", name)})
    assert not taking_secrets, f"options that take a password on the command line: {taking_secrets}"


@pytest.mark.parametrize("case", ["wrong", "none"])
def test_a_bad_administrator_password_is_refused_with_a_clear_message(world, empty_database, case):
    prefix = f"admin{case}_"
    if case == "wrong":
        run = db_setup(world, empty_database, admin="env", admin_password="not-the-" + secrets.token_hex(8),
                       prefix=prefix)
    else:
        run = db_setup(world, empty_database, admin=None, prefix=prefix)
    assert run.code != 0, str(run)
    assert roles_named(world, prefix) == []
    assert re.search(r"authenticat|PGPASSWORD|--admin-password-file|password", run.output, re.I), (
        f"the message does not say the administrator could not sign in: {run}")
    assert_no_secret_shown(world, run)
