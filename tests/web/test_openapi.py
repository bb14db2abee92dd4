"""The HTTP API's description is a valid OpenAPI 3 document that says what each route takes, and
no GET operation answers generated input with a server error.

Iterates whatever routes the schema lists, so every /api/v1 route added later is covered too.
The fuzzing is schemathesis over the app in process (ASGI, no network), deterministic
(``derandomize``) and bounded (``MAX_EXAMPLES`` per operation).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error

MAX_EXAMPLES = 15
REQUEST_SECONDS = 120  # schemathesis' default (10 s) is too short for a cold figure on a loaded machine
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def document(app) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        answer = client.get("/openapi.json")
    assert answer.status_code == 200
    return answer.json()


def _api_operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, operation)
            for path, item in document["paths"].items() if path.startswith("/api/v1/")
            for method, operation in item.items() if method in HTTP_METHODS]


def test_the_document_is_valid_openapi_3(app, document) -> None:  # type: ignore[no-untyped-def]
    assert document["openapi"].startswith("3.")
    schemathesis.openapi.from_asgi("/openapi.json", app).validate()  # the official OpenAPI 3.x JSON Schema
    # Pages are not API operations: only /api/v1 routes are described.
    assert all(path.startswith("/api/v1/") for path in document["paths"])
    assert {"GET /api/v1/outbound", "GET /api/v1/outbound/records"} <= {
        f"{method} {path}" for method, path, _ in _api_operations(document)}


def _has_example(operation: dict[str, Any]) -> bool:
    answers = [content for response in operation.get("responses", {}).values()
               for content in response.get("content", {}).values()]
    places = [*operation.get("parameters", []), *operation.get("requestBody", {}).get("content", {}).values(),
              *answers]
    for place in places:
        if "example" in place or "examples" in place:
            return True
        schema = place.get("schema", {})
        if "example" in schema or "examples" in schema:
            return True
    return False


def test_every_api_route_says_what_it_does_and_what_it_takes(document) -> None:  # type: ignore[no-untyped-def]
    undescribed = []
    for method, path, operation in _api_operations(document):
        if not operation.get("summary"):
            undescribed.append(f"{method} {path}: no summary")
        for parameter in operation.get("parameters", []):
            if not parameter.get("description"):
                undescribed.append(f"{method} {path}: parameter {parameter['name']!r} has no description")
        if not _has_example(operation):
            undescribed.append(f"{method} {path}: no example")
    assert undescribed == []


GET_OPERATIONS = (
    "/api/v1/outbound", "/api/v1/outbound/records", "/api/v1/coverage", "/api/v1/coverage/selection",
    "/api/v1/transfers/flows", "/api/v1/transfers/owner-shares", "/api/v1/transfers/counterparties",
    "/api/v1/transfers/records", "/api/v1/transfers/conveyances", "/api/v1/entities", "/api/v1/entities/{entity_id}",
    "/api/v1/reference", "/api/v1/reference/{name}",
)
"""Every GET operation, one fuzzing test each (so that xdist spreads them over its workers);
``test_every_get_operation_is_fuzzed`` keeps the list equal to the document's."""


def test_every_get_operation_is_fuzzed(document) -> None:  # type: ignore[no-untyped-def]
    assert {path for method, path, _ in _api_operations(document) if method == "GET"} == set(GET_OPERATIONS)


@pytest.mark.parametrize("path", GET_OPERATIONS)
def test_no_get_operation_answers_with_a_server_error(app, path: str) -> None:  # type: ignore[no-untyped-def]
    """Schemathesis' own pytest hook (``from_fixture``) fails on pytest 9 (it sets
    ``node._nodeid``), so the operation is run here: one Hypothesis run for it."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(method="GET", path=path)
    operations = [found.ok() for found in schema.get_all_operations()]
    assert len(operations) == 1, path
    (operation,) = operations

    @given(case=operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def no_server_error(case) -> None:  # type: ignore[no-untyped-def]
        case.call_and_validate(checks=[not_a_server_error], timeout=REQUEST_SECONDS)

    no_server_error()
