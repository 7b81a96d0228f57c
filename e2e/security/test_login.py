"""Login brute force: the 5th failure within 15 minutes locks the account (423 with Retry-After),
even for the right password afterwards; an unknown email is answered exactly like a known one."""
from __future__ import annotations

import secrets

from conftest import assert_problem


def login(campus, email, password):
    return campus.post("gateway", "/auth/login", json={"email": email, "password": password})


def shape(response, email):
    """What a client sees, with the email (which it typed itself) taken out."""
    body = response.json()
    return (response.status_code, response.headers.get("Content-Type"), sorted(body),
            body["code"], body["title"], body["detail"].replace(email, "<email>"), "Retry-After" in response.headers)


def attempts(campus, email, password, n):
    return [login(campus, email, password) for _ in range(n)]


def test_fifth_failure_locks_the_account_even_for_the_right_password(campus):
    _, email, _ = campus.new_user("student")
    failures = attempts(campus, email, "wrong-password", 5)
    for r in failures[:4]:
        assert_problem(r, 401)
    locked = assert_problem(failures[4], 423)
    assert int(failures[4].headers["Retry-After"]) > 0
    assert locked["code"]
    right = login(campus, email, "correct-horse-battery")
    assert_problem(right, 423)
    assert int(right.headers["Retry-After"]) > 0
    assert "access_token" not in right.text
    # The lock is per account: another account still signs in.
    assert login(campus, "faculty@example.com", "faculty123").status_code == 200


def test_the_lock_counts_emails_case_insensitively(campus):
    _, email, _ = campus.new_user("student")
    for i in range(4):
        assert_problem(login(campus, email.upper() if i % 2 else email, "nope"), 401)
    assert_problem(login(campus, email.title(), "nope"), 423)


def test_unknown_email_is_answered_exactly_like_a_known_one(campus):
    _, known, _ = campus.new_user("student")
    unknown = f"nobody-{secrets.token_hex(4)}@example.com"
    known_answers = attempts(campus, known, "wrong-password", 6)
    unknown_answers = attempts(campus, unknown, "wrong-password", 6)
    assert [r.status_code for r in known_answers] == [401, 401, 401, 401, 423, 423]
    assert [shape(r, known) for r in known_answers] == [shape(r, unknown) for r in unknown_answers]
    assert known_answers[0].json()["detail"] == unknown_answers[0].json()["detail"]


def test_malformed_logins_are_problems_not_crashes(campus):
    for body in ({"email": "admin@example.com"}, {"password": "x"}, {"email": 5, "password": []}, [], "x"):
        r = campus.post("gateway", "/auth/login", json=body, validate_request=False)  # off-schema on purpose
        assert_problem(r, 422)
    r = campus.post("gateway", "/auth/login", data=b"{not json", headers={"Content-Type": "application/json"}, validate_request=False)
    assert_problem(r, 400)
