"""The one check that an answer is the contract's RFC 9457 problem+json (docs/contract.md §2)."""
from __future__ import annotations


def assert_problem(response, status: int | tuple[int, ...], code: str | None = None, names: str | None = None, *,
                   detail_names: str | None = None) -> dict:
    """`response` is a problem+json with `status` (or one of them): `status` in the body, a non-empty
    `type`, `title`, `detail` and `code`; its `code` is `code` and its `detail` names `names` when
    given. Returns the body."""
    names = names if names is not None else detail_names
    statuses = (status,) if isinstance(status, int) else tuple(status)
    request = getattr(response, "request", None)  # raw-socket answers (WebSocket handshakes) carry `where` instead
    where = f"{request.method} {request.url}" if request is not None else getattr(response, "where", "")
    assert response.status_code in statuses, f"{where}: expected {statuses}, got {response.status_code}: {response.text[:400]}"
    content_type = response.headers.get("Content-Type", "")
    assert content_type.startswith("application/problem+json"), f"{where}: Content-Type {content_type!r}, not application/problem+json"
    body = response.json()
    assert isinstance(body, dict) and body.get("status") == response.status_code, f"{where}: problem status {body!r}"
    for key in ("type", "title", "detail", "code"):
        assert isinstance(body.get(key), str) and body[key], f"{where}: problem without {key}: {body}"
    if code is not None:
        assert body["code"] == code, f"{where}: code {body['code']!r}, expected {code!r}: {body}"
    if names is not None:
        assert names in body["detail"], f"{where}: detail {body['detail']!r} does not name {names!r}"
    return body
