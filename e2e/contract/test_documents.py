"""The six `/openapi.json` documents, as the running services serve them: valid OpenAPI 3.1
(openapi-spec-validator), and saying about ids what the contract says (docs/contract.md §11)."""
from __future__ import annotations

import pytest
import requests
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import OpenAPIV31SpecValidator

from support.services import SERVICES
from support.openapi_check import ID_KEYS

from contract_support import operations, resolve

AN_ID = 228


def fetch_document(server, service: str) -> dict:
    r = requests.get(server.url(service, "/openapi.json"), timeout=15)
    assert r.status_code == 200, f"{service} /openapi.json -> {r.status_code}: {r.text[:300]}"
    assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
    return r.json()


@pytest.mark.parametrize("service", list(SERVICES))
def test_document_is_valid_openapi_3_1(campus_server, service):
    document = fetch_document(campus_server, service)
    assert str(document.get("openapi", "")).startswith("3.1."), \
        f"{service}: docs/contract.md §1 says OpenAPI 3.1, the document says openapi={document.get('openapi')!r}"
    errors = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
              for e in OpenAPIV31SpecValidator(document).iter_errors()]
    assert not errors, f"openapi-spec-validator finds {len(errors)} errors in {service}'s /openapi.json:\n" + "\n".join(errors[:30])
    assert document.get("paths"), f"{service}'s document has no paths"


# ---- ids ------------------------------------------------------------------------------------------
def id_properties(schema, where: str):
    """(where, schema) of every property in ID_KEYS anywhere inside a resolved schema."""
    if not isinstance(schema, dict):
        return
    for key, sub in (schema.get("properties") or {}).items():
        if key in ID_KEYS:
            yield f"{where}.{key}", sub
        yield from id_properties(sub, f"{where}.{key}")
    if isinstance(schema.get("items"), dict):
        yield from id_properties(schema["items"], f"{where}[]")
    for combinator in ("oneOf", "anyOf", "allOf"):
        for index, sub in enumerate(schema.get(combinator) or []):
            yield from id_properties(sub, f"{where}<{combinator}{index}>")
    if isinstance(schema.get("additionalProperties"), dict):
        yield from id_properties(schema["additionalProperties"], f"{where}.*")


def accepts(schema: dict, value) -> bool:
    return OAS31Validator(schema).is_valid(value)


@pytest.mark.parametrize("service", list(SERVICES))
def test_documented_ids_are_integers_out_and_integer_or_string_in(campus_server, service):
    """docs/contract.md §11: each kind of id has one JSON type in every response (the services chose integers),
    and every input taking an id accepts that type and its string form; series_id is a string."""
    document = fetch_document(campus_server, service)
    wrong = []
    for path, method, operation, parameters in operations(document):
        name = f"{method.upper()} {path}"
        for parameter in (resolve(document, p) for p in parameters):
            key = parameter.get("name", "")
            if parameter.get("in") in ("path", "query") and (key in ID_KEYS or key.endswith("_id")) and key != "series_id":
                if not accepts(parameter.get("schema", {}), AN_ID):
                    wrong.append(f"{name}: {parameter['in']} parameter {key} does not accept the integer {AN_ID} "
                                 f"(schema {parameter.get('schema')})")
        body = resolve(document, operation.get("requestBody", {}))
        for media in (body.get("content") or {}).values():
            for where, schema in id_properties(media.get("schema", {}), "$"):
                for value in (AN_ID, str(AN_ID)):
                    if not accepts(schema, value):
                        wrong.append(f"{name}: request body {where} does not accept {value!r} (schema {schema})")
        for status, response in (operation.get("responses") or {}).items():
            response = resolve(document, response)
            for media_type, media in (response.get("content") or {}).items():
                if "json" not in media_type:
                    continue
                for where, schema in id_properties(media.get("schema", {}), "$"):
                    if not accepts(schema, AN_ID) or accepts(schema, str(AN_ID)):
                        wrong.append(f"{name} -> {status}: {where} is not documented as an integer id (schema {schema})")
    assert not wrong, f"{service}'s document, about ids ({len(wrong)}):\n" + "\n".join(wrong)
