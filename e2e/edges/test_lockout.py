"""The login lock (docs/contract.md §3: failures counted per email, trimmed and lower-cased) cannot be walked
around with whitespace or case: once five wrong passwords locked an account, every spelling of its
email gets 423 even with the right password, and one account's failures are counted together
whatever the spelling. Login is the gateway's own route, so there is no second way in."""
from __future__ import annotations

from edges.harness import assert_problem


def spellings(email: str) -> list[str]:
    local, domain = email.split("@")
    return [f" {email}", f"{email} ", f"\t{email}", f"{email}\n", f"  {email}\t", email.upper(),
            f"{local.title()}@{domain.upper()}", f" {email.upper()} ", email]


def login(campus, email: str, password: str):
    return campus.post("gateway", "/auth/login", json={"email": email, "password": password})


def test_a_locked_account_is_locked_under_every_spelling(campus):
    account = campus.new_user("student", prefix="lock", login=False)
    answers = [login(campus, account.email, "wrong-password").status_code for _ in range(5)]
    assert answers == [401, 401, 401, 401, 423], answers
    for spelling in spellings(account.email):
        r = login(campus, spelling, account.password)
        assert_problem(r, 423)
        assert "access_token" not in r.text, f"{spelling!r} signed in past the lock"


def test_failures_are_counted_together_across_spellings(campus):
    account = campus.new_user("student", prefix="lock", login=False)
    local, domain = account.email.split("@")
    attempts = [f" {account.email}", f" {account.email}",                      # two with one spelling
                f"{account.email.upper()}\t", f"\n{account.email}", f"{local.title()}@{domain} "]  # three with others
    answers = [login(campus, spelling, "wrong-password").status_code for spelling in attempts]
    assert answers == [401, 401, 401, 401, 423], list(zip(attempts, answers))
    for spelling in (account.email, f" {account.email} "):
        assert_problem(login(campus, spelling, account.password), 423)


def test_an_account_that_is_not_locked_still_signs_in(campus):
    """Control for the two tests above: four failures (spread over spellings) do not lock."""
    account = campus.new_user("student", prefix="lock", login=False)
    for spelling in (f" {account.email}", account.email.upper(), f"{account.email}\n", account.email):
        assert_problem(login(campus, spelling, "wrong-password"), 401)
    r = login(campus, account.email, account.password)
    assert r.status_code == 200 and r.json()["user"]["id"] == account.id, r.text
