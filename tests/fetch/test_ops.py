"""``fetch ops QUERY`` against a loopback OPS: a fake OAuth token endpoint, recorded real search
responses (shared/data/epo-ops-xml), OPS's throttling header and a fair-use quota refusal."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.fetch import ops
from tests.conftest import shared_path
from tests.fetch.loopback import Route, quick_policy

runner = CliRunner(env={"COLUMNS": "200", "OPS_KEY": "consumer-key", "OPS_SECRET": "consumer-secret"})
TOKEN = "/3.2/auth/accesstoken"
SEARCH = "/3.2/rest-services/published-data/search"
RECORDED = shared_path("data", "epo-ops-xml", "epo-ops-go", "search_with_constituent.response.xml").read_bytes()
BUSY = "busy (images=green:200, inpadoc=green:60, other=green:1000, retrieval=green:200, search=yellow:120)"


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    recorded: list[float] = []
    monkeypatch.setattr(ops, "Policy", lambda: quick_policy(recorded))
    return recorded


def _token(record):
    """The OPS token answer (client-credentials grant): the fields OPS returns, token ours."""
    body = {"token_type": "BearerToken", "access_token": "loopback-token", "expires_in": "1199",
            "status": "approved", "client_id": "consumer-key"}
    return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()


def test_ops_search_gets_a_token_pages_the_results_and_honours_the_throttling_header(loopback, tmp_path, waits):
    loopback.routes[TOKEN] = Route(handler=_token)
    loopback.routes[SEARCH] = Route(handler=lambda record: (
        200, {"Content-Type": "application/xml", "X-Throttling-Control": BUSY}, RECORDED))
    result = runner.invoke(app, ["fetch", "ops", "pa=Siemens", "--max-results", "150", "-o", str(tmp_path),
                                 "--base-url", loopback.url])
    assert result.exit_code == 0, result.output
    token_request = loopback.requests_to(TOKEN)[0]
    basic = base64.b64encode(b"consumer-key:consumer-secret").decode()
    assert token_request.headers["Authorization"] == f"Basic {basic}"
    assert parse_qs(token_request.body.decode()) == {"grant_type": ["client_credentials"]}
    searches = loopback.requests_to(SEARCH)
    assert [s.headers["X-OPS-Range"] for s in searches] == ["1-100", "101-150"]
    assert {s.headers["Authorization"] for s in searches} == {"Bearer loopback-token"}
    assert {parse_qs(s.body.decode())["q"][0] for s in searches} == {"pa=Siemens"}
    assert waits == [0.0, 0.5]  # search=yellow:120 per minute -> half a second before the next page
    pages = sorted(p.name for p in (tmp_path / "ops").glob("*.xml"))
    assert len(pages) == 2 and pages[0].startswith("search-pa-siemens-") and pages[0].endswith("-1-100.xml")
    assert all((tmp_path / "ops" / page).read_bytes() == RECORDED for page in pages)
    assert f"note: OPS throttling: {BUSY}" in result.output
    assert "note: OPS: 10000 results, fetched the first 150" in result.output


def test_an_ops_quota_refusal_is_one_line(loopback, tmp_path, waits):
    loopback.routes[TOKEN] = Route(handler=_token)
    loopback.routes[SEARCH] = Route(handler=lambda record: (
        403, {"X-Rejection-Reason": "RegisteredQuotaPerWeek", "Content-Type": "application/xml"}, b"<fault/>"))
    result = runner.invoke(app, ["fetch", "ops", "pa=Siemens", "-o", str(tmp_path), "--base-url", loopback.url])
    assert result.exit_code == 1
    assert (f"error: {loopback.url}{SEARCH}: OPS refused the request: fair-use quota RegisteredQuotaPerWeek "
            "reached; try again later") in result.output
    assert "Traceback" not in result.output


def test_ops_without_credentials_is_a_usage_error_naming_the_variables(tmp_path, no_network):
    result = CliRunner(env={"COLUMNS": "200", "OPS_KEY": "", "OPS_SECRET": ""}).invoke(
        app, ["fetch", "ops", "pa=Siemens", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "OPS needs OAuth client credentials: set OPS_KEY and OPS_SECRET" in result.output
    assert no_network == []


def test_refused_ops_credentials_name_the_variables(loopback, tmp_path, waits):
    loopback.routes[TOKEN] = Route(handler=lambda record: (401, {"Content-Type": "application/json"},
                                                           b'{"error": "invalid_client"}'))
    result = runner.invoke(app, ["fetch", "ops", "pa=Siemens", "-o", str(tmp_path), "--base-url", loopback.url])
    assert result.exit_code == 1
    assert (f"error: {loopback.url}{TOKEN}: HTTP 401: OPS refused the credentials (check OPS_KEY and OPS_SECRET)"
            in result.output)
    assert loopback.requests_to(SEARCH) == []
