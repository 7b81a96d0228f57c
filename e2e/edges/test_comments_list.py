"""GET /tickets/{id}/comments follows the list rules of docs/contract.md §2 (§11: "comments included"):
limit 50 by default, above 200 clamped to 200, non-numeric or negative limit/offset → 422 naming the
parameter, the total in X-Total-Count, and oldest first."""
from __future__ import annotations

import pytest

from edges.harness import assert_problem

COMMENTS = 205  # more than the clamp, so the clamp shows


def seeded(campus) -> tuple[int, list[int]]:
    """A ticket with COMMENTS comments "c000".."c204", made one after another (once per backend)."""
    if "comments" not in campus.cache:
        student = campus.tokens["student"]
        ticket = campus.new_ticket(title="Notice board needs repainting")
        path = f"/tickets/{ticket['id']}/comments"
        made = []
        for n in range(COMMENTS):
            r = campus.post("maintenance", path, student, json={"body": f"c{n:03d}"})
            assert r.status_code == 201, r.text
            made.append(r.json()["id"])
        campus.cache["comments"] = (ticket["id"], made)
    return campus.cache["comments"]


def bodies(response) -> list[str]:
    return [comment["body"] for comment in response.json()]


def test_default_page_is_fifty_oldest_first_with_the_total(campus, via):
    ticket_id, made = seeded(campus)
    r = campus.get("maintenance", f"/tickets/{ticket_id}/comments", campus.tokens["student"], via)
    assert r.status_code == 200, r.text
    assert r.headers.get("X-Total-Count") == str(COMMENTS), r.headers
    assert bodies(r) == [f"c{n:03d}" for n in range(50)]
    assert [c["id"] for c in r.json()] == made[:50]


def test_limit_above_two_hundred_is_clamped(campus, via):
    ticket_id, _ = seeded(campus)
    for limit in (201, 500, 100000):
        r = campus.get("maintenance", f"/tickets/{ticket_id}/comments", campus.tokens["student"], via, params={"limit": limit})
        assert r.status_code == 200, r.text
        assert len(r.json()) == 200, f"limit={limit}: {len(r.json())} comments"
        assert bodies(r) == [f"c{n:03d}" for n in range(200)]
        assert r.headers.get("X-Total-Count") == str(COMMENTS)


def test_limit_and_offset_page_through_in_order(campus, via):
    ticket_id, made = seeded(campus)
    path = f"/tickets/{ticket_id}/comments"
    pages = []
    for offset in range(0, COMMENTS, 60):
        r = campus.get("maintenance", path, campus.tokens["student"], via, params={"limit": 60, "offset": offset})
        assert r.status_code == 200 and r.headers.get("X-Total-Count") == str(COMMENTS), r.text[:200]
        pages += [c["id"] for c in r.json()]
    assert pages == made
    r = campus.get("maintenance", path, campus.tokens["student"], via, params={"limit": 10, "offset": 200})
    assert bodies(r) == [f"c{n:03d}" for n in range(200, COMMENTS)]
    r = campus.get("maintenance", path, campus.tokens["student"], via, params={"offset": COMMENTS})
    assert r.status_code == 200 and r.json() == [] and r.headers.get("X-Total-Count") == str(COMMENTS)


@pytest.mark.parametrize("query, name", [("limit=abc", "limit"), ("limit=-1", "limit"), ("limit=1.5", "limit"),
                                         ("offset=x", "offset"), ("offset=-1", "offset")])
def test_bad_limit_or_offset_is_422_naming_the_parameter(campus, via, query, name):
    ticket_id, _ = seeded(campus)
    r = campus.get("maintenance", f"/tickets/{ticket_id}/comments?{query}", campus.tokens["student"], via,
                   validate_request=False)  # off the document on purpose: only the answer is checked
    assert_problem(r, 422, names=name)
