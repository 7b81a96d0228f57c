# Shared shell helpers for scripts/*: sourced, never run.
# shellcheck shell=bash

# Each step with the time it started, so a slow run shows where its minutes went.
say() { printf '\n== [%s] %s\n' "$(date +%T)" "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# apt_install PACKAGE...: installs the Debian packages that are missing (quietly).
apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  say "Installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

# python_env: makes .build/pyenv (a venv) with e2e/requirements.txt installed; prints its python.
python_env() {
  local root venv
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  venv="$root/.build/pyenv"
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" >&2 || { apt_install python3-venv >&2 && python3 -m venv "$venv" >&2; }
  fi
  local stamp="$venv/.requirements.sha"
  local want
  want=$(sha256sum "$root/e2e/requirements.txt" | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    # A failed install must not write the stamp (callers run this in $(...), where set -e is off).
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$root/e2e/requirements.txt" >&2 || return 1
    echo "$want" > "$stamp"
  fi
  echo "$venv/bin/python"
}

# free_port: an unused TCP port on loopback (e2e/support/services.py's free_port, standard library only).
free_port() { python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/e2e/support/services.py" free-port; }

# pytest_verdict NAME JUNIT_XML PYTEST_STATUS: the one pass rule of every Python suite (run pytest with
# --junitxml=JUNIT_XML). Prints "NAME: T tests, F failed, S skipped, pytest exit X"; returns non-zero
# when pytest failed (its own exit status), when no test ran, or when any test was skipped or
# xfailed (a skipped check is not a pass).
pytest_verdict() {
  local name=$1 report=$2 status=$3 tests skipped failed
  read -r tests skipped failed < <(python3 - "$report" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    print(0, 0, 0); sys.exit()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
count = lambda key: sum(int(s.get(key, 0)) for s in suites)
print(count("tests"), count("skipped"), count("failures") + count("errors"))
PY
)
  echo "$name: $tests tests, $failed failed, $skipped skipped, pytest exit $status"
  if [ "$status" -ne 0 ]; then echo "$name FAILED (pytest exit $status)" >&2; return "$status"; fi
  if [ "$tests" -eq 0 ]; then echo "$name: no test ran" >&2; return 1; fi
  if [ "$skipped" -ne 0 ]; then echo "$name: $skipped tests were skipped" >&2; return 1; fi
}

find_pg_bin() {
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

# start_postgres: a throwaway PostgreSQL 15 server on a free loopback port with an empty database
# campus_test; sets PG_URL (postgres://user@127.0.0.1:port/campus_test), PG_PORT, PG_USER, PG_BIN,
# PG_DIR, PG_RUN. Installs `postgresql` with apt-get if its binaries are missing. Stop with stop_postgres.
# fsync is off (a throwaway server for tests) unless PG_FSYNC=on (benchmarks of durable writes).
start_postgres() {
  if ! PG_BIN=$(find_pg_bin); then
    apt_install postgresql
    PG_BIN=$(find_pg_bin)
  fi
  PG_DIR=$(mktemp -d /tmp/campus-pg.XXXXXX)
  PG_PORT=${CAMPUS_TEST_PG_PORT:-$(free_port)}
  PG_USER=$(id -un)
  PG_RUN=()
  if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root: run the server as the postgres user.
    id postgres >/dev/null 2>&1 || as_root useradd --system --no-create-home postgres
    chown postgres "$PG_DIR"
    PG_RUN=(runuser -u postgres --)
    PG_USER=postgres
  fi
  "${PG_RUN[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$PG_USER" --auth=trust -E UTF8 >/dev/null
  "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-off} -c max_connections=300" start >/dev/null
  "${PG_RUN[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE campus_test" >/dev/null
  PG_URL="postgres://$PG_USER@127.0.0.1:$PG_PORT/campus_test"
}

# pg_psql ARGS...: psql against the throwaway server (database campus_test unless -d is given).
pg_psql() { "${PG_RUN[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d campus_test "$@"; }

# pg_create_database NAME: another empty database on the throwaway server.
pg_create_database() { "${PG_RUN[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE $1" >/dev/null; }

stop_postgres() {
  [ -n "${PG_DIR:-}" ] || return 0
  "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
