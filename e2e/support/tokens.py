"""HS256 tokens with the contract's claims, minted with the shared key as any JWT library would."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw_token(header: dict, claims: dict, key: bytes | None) -> str:
    """A JWT built by hand: HMAC-SHA256 over header.payload with `key`, or no signature at all."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    signature = b64(hmac.new(key, signing_input.encode(), hashlib.sha256).digest()) if key is not None else ""
    return f"{signing_input}.{signature}"


def mint(secret: str, user_id: int | str, role: str, lifetime: int = 3600, **overrides) -> str:
    now = int(time.time())
    claims = {"sub": str(user_id), "email": f"user{user_id}@example.com", "name": f"User {user_id}", "role": role,
              "iat": now, "exp": now + lifetime, "iss": "campus-services-hub", "jti": str(uuid.uuid4())}
    claims.update(overrides)
    return raw_token({"alg": "HS256", "typ": "JWT"}, claims, secret.encode())
