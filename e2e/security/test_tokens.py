"""Forged, tampered and expired tokens → 401 problem+json on a protected route of every service (docs/contract.md §3)."""
from __future__ import annotations

import base64
import json
import time
import uuid

import jwt
import pytest

from conftest import assert_problem
from support.tokens import b64, raw_token

# A protected route of each service, called on the service's own port, plus the gateway's /api routes.
PROTECTED = [
    ("gateway", "/auth/me"),
    ("gateway", "/api/status"),
    ("users", "/users"),
    ("booking", "/rooms"),
    ("gpa", "/scale"),
    ("notification", "/notifications"),
    ("maintenance", "/tickets/room-health"),
    ("gateway", "/api/users"),
    ("gateway", "/api/rooms"),
    ("gateway", "/api/gpa/scale"),
    ("gateway", "/api/notifications"),
    ("gateway", "/api/tickets/room-health"),
]

# Stands in for a public key an attacker knows (the algorithm-confusion attack signs HMAC with it).
PUBLIC_KEY_PEM = b"""-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo
4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u
-----END PUBLIC KEY-----
"""



def claims_for(campus, who: str = "admin", **overrides) -> dict:
    now = int(time.time())
    claims = {"sub": campus.ids[who], "email": f"{who}@example.com", "name": who, "role": who,
              "iat": now, "exp": now + 3600, "iss": "campus-services-hub", "jti": str(uuid.uuid4())}
    for key, value in overrides.items():
        if value is None:
            claims.pop(key, None)
        else:
            claims[key] = value
    return claims


def tamper_role(token: str, role: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = role
    return f"{header}.{b64(json.dumps(claims).encode())}.{signature}"


def bad_tokens(campus) -> dict[str, str]:
    secret = campus.jwt_secret.encode()
    now = int(time.time())
    hs256 = {"alg": "HS256", "typ": "JWT"}
    return {
        "other key": jwt.encode(claims_for(campus), "not-the-secret-" * 4, algorithm="HS256"),
        "alg none": raw_token({"alg": "none", "typ": "JWT"}, claims_for(campus), None),
        "alg None": raw_token({"alg": "None", "typ": "JWT"}, claims_for(campus), None),
        "alg none signed": raw_token({"alg": "none", "typ": "JWT"}, claims_for(campus), secret),
        "no alg": raw_token({"typ": "JWT"}, claims_for(campus), secret),
        "alg HS512 with the secret": jwt.encode(claims_for(campus), campus.jwt_secret, algorithm="HS512"),
        "alg HS384 with the secret": jwt.encode(claims_for(campus), campus.jwt_secret, algorithm="HS384"),
        "RS256 header, HMAC with the secret": raw_token({"alg": "RS256", "typ": "JWT"}, claims_for(campus), secret),
        "RS256 header, HMAC with a public key": raw_token({"alg": "RS256", "typ": "JWT"}, claims_for(campus), PUBLIC_KEY_PEM),
        "expired": jwt.encode(claims_for(campus, iat=now - 7200, exp=now - 60), campus.jwt_secret, algorithm="HS256"),
        "not yet valid (nbf in an hour)": jwt.encode(claims_for(campus, nbf=now + 3600), campus.jwt_secret, algorithm="HS256"),
        "issued in the future (iat in an hour)": jwt.encode(claims_for(campus, iat=now + 3600, exp=now + 7200), campus.jwt_secret, algorithm="HS256"),
        "wrong iss": jwt.encode(claims_for(campus, iss="someone-else"), campus.jwt_secret, algorithm="HS256"),
        "no iss": jwt.encode(claims_for(campus, iss=None), campus.jwt_secret, algorithm="HS256"),
        "no exp": jwt.encode(claims_for(campus, exp=None), campus.jwt_secret, algorithm="HS256"),
        "no sub": jwt.encode(claims_for(campus, sub=None), campus.jwt_secret, algorithm="HS256"),
        "unknown role": jwt.encode(claims_for(campus, role="superuser"), campus.jwt_secret, algorithm="HS256"),
        "tampered role (student → admin)": tamper_role(campus.tokens["student"], "admin"),
        "tampered signature": campus.tokens["admin"][:-4] + ("AAAA" if not campus.tokens["admin"].endswith("AAAA") else "BBBB"),
        "HS256 header, empty signature": raw_token(hs256, claims_for(campus), None),
        "not a JWT": "definitely-not-a-jwt",
        "two parts": ".".join(campus.tokens["admin"].split(".")[:2]),
    }


BAD_TOKEN_NAMES = [
    "other key", "alg none", "alg None", "alg none signed", "no alg", "alg HS512 with the secret", "alg HS384 with the secret",
    "RS256 header, HMAC with the secret", "RS256 header, HMAC with a public key", "expired", "not yet valid (nbf in an hour)",
    "issued in the future (iat in an hour)", "wrong iss", "no iss", "no exp", "no sub", "unknown role",
    "tampered role (student → admin)", "tampered signature", "HS256 header, empty signature", "not a JWT", "two parts",
]


@pytest.fixture(scope="module")
def tokens(campus):
    made = bad_tokens(campus)
    assert sorted(made) == sorted(BAD_TOKEN_NAMES)
    return made


@pytest.mark.parametrize("service,path", PROTECTED, ids=[f"{s}{p}" for s, p in PROTECTED])
def test_a_well_made_token_is_accepted(campus, service, path):
    """The control: a token any standard library makes with the secret and the contract's claims works."""
    role = "student" if "gpa" in (service + path) else "admin"  # the GPA calculator is for students and faculty
    token = jwt.encode(claims_for(campus, role), campus.jwt_secret, algorithm="HS256")
    r = campus.get(service, path, token=token)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("service,path", PROTECTED, ids=[f"{s}{p}" for s, p in PROTECTED])
def test_no_token_is_401(campus, service, path):
    r = campus.get(service, path, validate_request=False)  # the document requires a token: left out on purpose
    assert_problem(r, 401)


@pytest.mark.parametrize("name", BAD_TOKEN_NAMES)
@pytest.mark.parametrize("service,path", PROTECTED, ids=[f"{s}{p}" for s, p in PROTECTED])
def test_bad_token_is_401(campus, tokens, service, path, name):
    r = campus.get(service, path, token=tokens[name])
    body = assert_problem(r, 401)
    assert r.headers.get("WWW-Authenticate", "").startswith("Bearer")
    assert campus.jwt_secret not in r.text and body["code"]


@pytest.mark.parametrize("scheme", ["Basic", "Token", "Bearer", "bearer  ", ""])
def test_malformed_authorization_header_is_401(campus, scheme):
    value = f"{scheme} " if scheme.strip() else scheme
    if scheme == "Basic":
        value = "Basic " + b64(b"admin@example.com:admin123")
    if scheme == "Token":
        value = "Token " + campus.tokens["admin"]
    r = campus.server.session.get(campus.url("booking", "/rooms"), headers={"Authorization": value}, timeout=10,
                                  validate_request=False)  # not a Bearer token, on purpose
    assert_problem(r, 401)


def test_websocket_refuses_a_forged_token(campus, tokens):
    """GET /ws?token=… (maintenance, and the gateway's /api/ws): a bad token never gets a socket.

    A plain GET answers 401 problem+json. A real WebSocket handshake is refused before the upgrade,
    but hummingbird-websocket answers every refused upgrade with its own bare 400 (docs/security.md,
    known gaps), so that status is accepted here next to 401; what must never happen is a 101.
    """
    import websockets.sync.client as ws_client
    from websockets.exceptions import InvalidStatus

    for service, path in (("maintenance", "/ws"), ("gateway", "/api/ws")):
        for name in ("alg none", "other key", "tampered role (student → admin)", "expired", "not yet valid (nbf in an hour)"):
            assert_problem(campus.get(service, path, params={"token": tokens[name]}), 401)
            url = campus.url(service, path).replace("http://", "ws://") + "?token=" + tokens[name]
            with pytest.raises(InvalidStatus) as refused:
                ws_client.connect(url, open_timeout=10).close()
            assert refused.value.response.status_code in (400, 401), (service, name)
    # The control: the real token is upgraded and told it is ready.
    url = campus.url("maintenance", "/ws").replace("http://", "ws://") + "?token=" + campus.tokens["technician"]
    with ws_client.connect(url, open_timeout=10) as socket:
        assert json.loads(socket.recv(timeout=10)) == {"type": "ready"}
