"""Fuzzes every service from its own /openapi.json with schemathesis against a real `campus serve`.

Checks: not_a_server_error (no 5xx), status_code_conformance (every status is documented),
content_type_conformance and response_schema_conformance. Each run authenticates as the role
whose routes it exercises; runs go two at a time, user management last (it may delete the very
accounts the other runs sign in as). Prints one line per run and a closing `N passed, N failed`.

    python e2e/fuzz/run_fuzz.py            FUZZ_EXAMPLES (default 20), FUZZ_SEED (default 1)
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.campus import CampusServer  # noqa: E402

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
SEED = os.environ.get("FUZZ_SEED", "1")
RUN_TIMEOUT = int(os.environ.get("FUZZ_RUN_TIMEOUT", "180"))  # seconds per schemathesis run


@dataclass
class Run:
    service: str
    role: str
    filters: list[str] = field(default_factory=list)
    why: str = ""

    @property
    def name(self) -> str:
        return f"{self.service} as {self.role}" + (f" ({self.why})" if self.why else "")


# Each route is fuzzed at least once by a role that may use it (docs/contract.md §3), so the run reaches
# the route's logic instead of stopping at 403.
FIRST = [
    Run("gpa", "student"),
    Run("notification", "admin"),
    Run("notification", "student", ["--include-path-regex", "^/notifications"], "own notifications"),
    Run("booking", "admin", ["--exclude-path-regex", "^/bookings"], "rooms"),
    Run("booking", "student", ["--include-path-regex", "^/bookings"], "bookings"),
    Run("booking", "faculty", ["--include-path-regex", "^/bookings"], "bookings, series"),
    Run("maintenance", "technician"),
    Run("maintenance", "student", ["--include-path-regex", "^/(tickets|triage)"], "own tickets"),
    # POST /auth/logout revokes the token this run authenticates with, and every later request of
    # the run would then be a 401; the security suite covers logout and revocation instead.
    Run("gateway", "admin", ["--exclude-operation-id", "logout"], "logout excluded"),
    Run("gateway", "student", ["--exclude-operation-id", "logout"], "logout excluded"),
]
# Last: creating, demoting and deleting users changes who can sign in (tokens stay valid at the services).
LAST = [
    Run("users", "student", [], "own record"),
    Run("users", "admin"),
]


def fuzz(campus: CampusServer, run: Run, token: str, reports: Path) -> tuple[Run, bool, str, float]:
    log = reports / f"{run.service}-{run.role}.log"
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "run", campus.url(run.service, "/openapi.json"),
        "-H", f"Authorization: Bearer {token}", "--checks", CHECKS, "--max-examples", str(EXAMPLES),
        "--seed", SEED, "--no-shrink", "--phases", "examples,coverage,fuzzing", "--request-timeout", "20",
        # One worker: CPython 3.11's ast module is not thread-safe and Hypothesis's lambda
        # descriptions crash with "AST constructor recursion depth mismatch" under -w 2.
        "--workers", "1", "--suppress-health-check", "all", *run.filters,
    ]
    started = time.monotonic()
    with open(log, "w") as out:
        try:
            # cwd: schemathesis keeps its crash cache in .schemathesis/ of the working directory.
            code = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, timeout=RUN_TIMEOUT, cwd=reports,
                                  env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_HOOKS": ""}).returncode
        except subprocess.TimeoutExpired:
            code = -1
            out.write(f"\ntimed out after {RUN_TIMEOUT}s\n")
    text = log.read_text(errors="replace")
    cases = re.search(r"(\d+) generated, .*", text)
    summary = cases.group(0) if cases else "no test cases"
    if code != 0:
        summary += f" — exit {code}, see {log}"
    return run, code == 0, summary, time.monotonic() - started


def main() -> int:
    reports = Path(os.environ.get("FUZZ_REPORT_DIR", "/tmp/campus-fuzz"))
    reports.mkdir(parents=True, exist_ok=True)
    with CampusServer(log_name="fuzz") as campus:
        tokens = {role: campus.token(role) for role in ("admin", "faculty", "student", "technician")}
        results = []
        with ThreadPoolExecutor(max_workers=2) as pool:
            results += pool.map(lambda r: fuzz(campus, r, tokens[r.role], reports), FIRST)
        for run in LAST:
            results.append(fuzz(campus, run, tokens[run.role], reports))
        alive = campus.process is not None and campus.process.poll() is None
        crashed_log = "" if alive else campus.log_tail()
    passed = failed = 0
    for run, ok, summary, seconds in results:
        print(f"{'PASS' if ok else 'FAIL'}  {run.name:45} {seconds:5.1f}s  {summary}")
        passed, failed = passed + ok, failed + (not ok)
    for run, ok, _, _ in results:
        if not ok:
            log = reports / f"{run.service}-{run.role}.log"
            print(f"\n---- {run.name}: {log}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-80:]))
    if not alive:
        print("campus serve died during the fuzz run:\n" + crashed_log)
        failed += 1
    print(f"fuzz: {passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
