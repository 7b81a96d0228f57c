"""`campus copy-db` round trip: data made through the real services on SQLite is copied into
PostgreSQL, the same services started on PostgreSQL answer with the same data, and a second
copy gives the same result. Needs CAMPUS_TEST_COPYDB_URL (an empty database; scripts/test makes one)."""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from urllib.parse import urlparse

import pytest

from support.campus import CampusServer, campus_binary

URL = os.environ.get("CAMPUS_TEST_COPYDB_URL")
TRICKY = "Robert'); DROP TABLE bookings;-- «ünïcødé» 🚀 <script>alert(1)</script>"


def postgres_env(url: str) -> dict[str, str]:
    parsed = urlparse(url)
    return {"DATABASE_TYPE": "postgresql", "DB_HOST": parsed.hostname, "DB_PORT": str(parsed.port or 5432),
            "DB_NAME": parsed.path.lstrip("/"), "DB_USER": parsed.username or "postgres",
            "DB_PASSWORD": parsed.password or "", "DB_POOL_MIN": "1"}


def copy_db(data_dir: str) -> dict[tuple[str, str], tuple[int, int]]:
    result = subprocess.run([campus_binary(), "copy-db", "--from", data_dir, "--to", URL, "--batch-size", "7"],
                            capture_output=True, text=True, timeout=120, env={**os.environ, "LOG_LEVEL": "warning"})
    assert result.returncode == 0, result.stdout + result.stderr
    counts = {}
    for line in result.stdout.splitlines():
        match = re.fullmatch(r"(\w+)\s+(\w+)\s+(\d+)\s+(\d+)", line.strip())
        if match:
            counts[(match[1], match[2])] = (int(match[3]), int(match[4]))
    assert "counts match" in result.stdout
    return counts


def snapshot(campus: CampusServer, tokens: dict[str, str]) -> dict:
    """What users see, through the gateway, compared before and after the move."""
    def get(role, path):
        response = campus.get("gateway", path, token=tokens[role])
        assert response.status_code == 200, (path, response.text)
        return response.json()
    return {
        "users": get("admin", "/api/users?limit=100"),
        "rooms": get("student", "/api/rooms?limit=100"),
        "bookings": get("student", "/api/bookings"),
        "faculty_bookings": get("faculty", "/api/bookings"),
        "tickets": get("technician", "/api/tickets"),
        "comments": get("technician", f"/api/tickets/{get('technician', '/api/tickets')[0]['id']}/comments"),
        "student_notifications": get("student", "/api/notifications"),
        "unread": get("student", "/api/notifications/unread-count"),
    }


@pytest.fixture(scope="module")
def moved():
    assert URL, "CAMPUS_TEST_COPYDB_URL must name an empty PostgreSQL database (scripts/test sets it)"
    sqlite = CampusServer(log_name="sqlite")
    sqlite.start()
    secret = sqlite.jwt_secret
    try:
        tokens = {role: sqlite.token(role) for role in ("admin", "student", "faculty", "technician")}
        created = sqlite.post("gateway", "/api/users", token=tokens["admin"], json={
            "email": "ada@example.com", "name": TRICKY, "password": "analytical-engine", "role": "faculty"})
        assert created.status_code == 201, created.text
        day = (dt.date.today() + dt.timedelta(days=3)).isoformat()
        rooms = sqlite.get("gateway", "/api/rooms", token=tokens["student"]).json()
        student_room = next(r for r in rooms if not r.get("faculty_only"))
        booked = sqlite.post("gateway", "/api/bookings", token=tokens["student"], json={
            "room_id": student_room["id"], "date": day, "start_time": "10:00", "end_time": "11:00", "purpose": TRICKY})
        assert booked.status_code == 201, booked.text
        series = sqlite.post("gateway", "/api/bookings", token=tokens["faculty"], json={
            "room_id": rooms[-1]["id"], "date": day, "start_time": "14:00", "end_time": "16:00",
            "purpose": "Weekly seminar", "repeat_weeks": 4})
        assert series.status_code == 201, series.text
        cancelled = sqlite.request("DELETE", "gateway", f"/api/bookings/{series.json()['bookings'][1]['id']}", token=tokens["faculty"])
        assert cancelled.status_code == 204
        ticket = sqlite.post("gateway", "/api/tickets", token=tokens["student"], json={
            "title": "Projector flickering", "description": TRICKY, "location": student_room["name"]})
        assert ticket.status_code == 201, ticket.text
        comment = sqlite.post("gateway", f"/api/tickets/{ticket.json()['id']}/comments", token=tokens["technician"], json={"body": "On my way"})
        assert comment.status_code == 201, comment.text
        notice = sqlite.post("gateway", "/api/notifications", token=tokens["admin"], json={
            "title": "Library hours", "message": TRICKY, "level": "info", "audience": {"all": True}})
        assert notice.status_code == 201, notice.text
        # Wait until the outbox has delivered the system notices (booking, comment) to the student.
        import time
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if sqlite.get("gateway", "/api/notifications/unread-count", token=tokens["student"]).json()["count"] >= 3:
                break
            time.sleep(0.2)
        read_one = sqlite.get("gateway", "/api/notifications", token=tokens["student"]).json()[0]["id"]
        assert sqlite.request("PUT", "gateway", f"/api/notifications/{read_one}", token=tokens["student"], json={"read": True}).status_code == 200
        before = snapshot(sqlite, tokens)
    finally:
        sqlite.stop()

    first = copy_db(sqlite.data_dir)
    second = copy_db(sqlite.data_dir)

    postgres = CampusServer(env={**postgres_env(URL), "JWT_SECRET_KEY": secret}, log_name="postgresql")
    postgres.start()
    yield {"before": before, "first": first, "second": second, "tokens": tokens, "postgres": postgres, "day": day,
           "room": student_room}
    postgres.close()
    sqlite.close()


def test_every_table_is_copied_with_matching_counts(moved):
    first = moved["first"]
    tables = {table for (_, table) in first}
    for table in ("users", "rooms", "bookings", "tickets", "ticket_comments", "notifications", "outbox_events", "login_audit"):
        assert table in tables, f"{table} missing from the copy report: {sorted(tables)}"
    for key, (sqlite_rows, postgres_rows) in first.items():
        assert sqlite_rows == postgres_rows, key
    assert first[("booking", "bookings")][0] == 5  # one student booking + a 4-week series
    assert first[("users", "users")][0] == 5       # four seeded users + Ada


def test_a_second_copy_gives_the_same_result(moved):
    assert moved["second"] == moved["first"]


def test_the_services_on_postgresql_answer_with_the_same_data(moved):
    postgres = moved["postgres"]
    tokens = {role: postgres.token(role) for role in moved["tokens"]}  # password hashes came along
    after = snapshot(postgres, tokens)
    for key, value in moved["before"].items():
        assert after[key] == value, key
    assert any(u["name"] == TRICKY for u in after["users"])
    assert postgres.login("ada@example.com", "analytical-engine")


def test_new_rows_continue_after_the_copied_ids(moved):
    postgres = moved["postgres"]
    token = postgres.token("student")
    before_ids = [b["id"] for b in moved["before"]["bookings"] + moved["before"]["faculty_bookings"]]
    clash = postgres.post("gateway", "/api/bookings", token=token, json={
        "room_id": moved["room"]["id"], "date": moved["day"], "start_time": "10:00", "end_time": "11:00", "purpose": "again"})
    assert clash.status_code == 409, clash.text  # the copied booking still holds its slot
    fresh = postgres.post("gateway", "/api/bookings", token=token, json={
        "room_id": moved["room"]["id"], "date": moved["day"], "start_time": "12:00", "end_time": "13:00", "purpose": "new"})
    assert fresh.status_code == 201, fresh.text
    assert fresh.json()["id"] > max(before_ids)
