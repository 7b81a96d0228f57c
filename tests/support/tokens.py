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


def mint(secret: str, user_id: int | str, role: str, lifetime: int = 3600, **overrides) -> str:
    now = int(time.time())
    claims = {"sub": str(user_id), "email": f"user{user_id}@example.com", "name": f"User {user_id}", "role": role,
              "iat": now, "exp": now + lifetime, "iss": "campus-services-hub", "jti": str(uuid.uuid4())}
    claims.update(overrides)
    signing_input = f"{b64(json.dumps({'alg': 'HS256', 'typ': 'JWT'}).encode())}.{b64(json.dumps(claims).encode())}"
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"
