"""Helpers the contract suite's test modules share (documents, routes through the gateway, problems)."""
from __future__ import annotations

import copy
import re
from typing import Any

from support.openapi_check import ValidatedSession, gateway_path
from support.problems import assert_problem  # noqa: F401 - the suite's tests import it from here

PASSWORD = "contract-password-1"  # of every account the suite makes
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
PARAMETER = re.compile(r"^\{([^}]+)\}$")


def resolve(document: dict, node: Any, depth: int = 0) -> Any:
    """`node` with every local $ref replaced by what it points to (recursively)."""
    assert depth < 60, "$ref nesting too deep (a cycle?)"
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
            target: Any = document
            for part in node["$ref"][2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return resolve(document, {**copy.deepcopy(target), **rest}, depth + 1)
        return {key: resolve(document, value, depth + 1) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(document, item, depth + 1) for item in node]
    return node


def operations(document: dict):
    """(path, method, operation, parameters incl. the path item's) for every operation of a document."""
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method], list(item.get("parameters", [])) + list(item[method].get("parameters", []))


def is_array_schema(schema: Any) -> bool:
    """A resolved schema whose every instance is a JSON array (directly, or every oneOf/anyOf branch)."""
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    if kind == "array" or (isinstance(kind, list) and "array" in kind and not set(kind) - {"array", "null"}):
        return True
    branches = schema.get("oneOf") or schema.get("anyOf")
    return bool(branches) and all(is_array_schema(branch) for branch in branches)


def fill_path(path: str, ids: dict[str, Any]) -> tuple[str, list[str]]:
    """`path` with each {param} replaced by the id of the collection named just before it
    (`/tickets/{id}/comments` takes ids["tickets"]); returns (path, parameters it could not fill)."""
    segments = path.strip("/").split("/")
    missing = []
    for index, segment in enumerate(segments):
        match = PARAMETER.match(segment)
        if match:
            collection = segments[index - 1] if index else ""
            if collection in ids:
                segments[index] = str(ids[collection])
            else:
                missing.append(f"{{{match[1]}}} (no known id for /{collection})")
    return "/" + "/".join(segments), missing


def via_target(via: str, service: str, path: str) -> tuple[str, str]:
    """Where to send a request for `path` of `service`: the service itself, or the gateway's route to it."""
    if via == "direct":
        return service, path
    routed = gateway_path(service, path)
    assert routed is not None, f"the gateway routes no path to {service} {path}"
    return "gateway", routed


class Api:
    """Calls one service directly or through the gateway, over a ValidatedSession."""

    def __init__(self, session: ValidatedSession, via: str):
        self.session = session
        self.via = via

    def __call__(self, method: str, service: str, path: str, token: str | None = None, expect: int | None = None, **kwargs):
        target, routed = via_target(self.via, service, path)
        r = self.session.call(method, target, routed, token=token, **kwargs)
        if expect is not None:
            assert r.status_code == expect, \
                f"{method} {routed} ({self.via}) -> {r.status_code}, wanted {expect}: {r.text[:400]}"
        return r


