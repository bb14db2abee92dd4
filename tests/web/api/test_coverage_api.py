"""``/api/v1/coverage`` is ``patentreach info`` as JSON; ``/coverage/selection`` says what the
warehouse lacks for one selection, with the selection's own notes."""

from __future__ import annotations

from patentreach.warehouse.coverage import coverage_of
from patentreach.warehouse.summary import summary


def test_coverage_is_the_info_sections(client, web_warehouse) -> None:
    answer = client.get("/api/v1/coverage")
    assert answer.status_code == 200
    sections = answer.json()["sections"]
    expected = summary(web_warehouse)
    assert [s["title"] for s in sections] == [s.title for s in expected]
    assert [s["columns"] for s in sections] == [list(s.columns) for s in expected]
    totals = dict(zip(sections[0]["columns"], sections[0]["rows"][0], strict=True))
    assert totals["publications"] == 431 and totals["files"] == 58
    columns, rows = coverage_of(web_warehouse)
    (panel,) = [s for s in sections if s["title"].startswith("coverage:")]
    assert panel["columns"] == columns and panel["rows"] == [list(r) for r in rows]
    assert panel["rows"][-1][:4] == ["(all)", "(all)", 431, 16]  # 16 publications without origin in all


def test_selection_says_which_offices_hold_nothing(client) -> None:
    params = {"origin": "JP", "offices": "ip5", "years": "2005-2012"}
    answer = client.get("/api/v1/coverage/selection", params=params)
    assert answer.status_code == 200
    body = answer.json()
    assert body["missing_offices"] == ["CN", "JP", "KR"]  # IP5 offices without invention grants in 2005-2012
    assert body["origins"][:3] == ["US", "JP", "DE"]  # the origins of those grants, most first
    assert [(o["office"], o["publications"], o["without_origin"]) for o in body["offices"]] == [
        ("EP", 2, 0), ("US", 152, 0)]
    figure = client.get("/api/v1/outbound", params=params).json()
    assert body["notes"] == figure["definition"]["notes"]
    assert body["selection"]["label"] == figure["definition"]["label"]


def test_selection_counts_publications_without_origin(client) -> None:
    body = client.get("/api/v1/coverage/selection", params={"origin": "JP", "offices": "major"}).json()
    us = next(o for o in body["offices"] if o["office"] == "US")
    assert (us["publications"], us["without_origin"], us["without_origin_pct"]) == (154, 1, 0.6)
    assert body["notes"][0].startswith("1 of the 161 invention grants in the selection (0.6%) has no origin country")
    assert "CN" in body["missing_offices"] and "US" not in body["missing_offices"]


def test_selection_refuses_a_bad_option_as_the_cli(client) -> None:
    answer = client.get("/api/v1/coverage/selection", params={"years": "2021-2019"})
    assert answer.status_code == 400
    assert answer.json()["error"].startswith("years 2021-2019: the first year is after the last")


def test_the_openapi_document_has_examples_for_every_parameter(client) -> None:
    document = client.get("/openapi.json").json()
    for path in ("/api/v1/outbound", "/api/v1/outbound/records", "/api/v1/coverage/selection"):
        operation = document["paths"][path]["get"]
        missing = [p["name"] for p in operation["parameters"] if "examples" not in p["schema"] and "examples" not in p]
        assert missing == [], (path, missing)
        assert "example" in operation["responses"]["200"]["content"]["application/json"]
    assert "example" in document["paths"]["/api/v1/coverage"]["get"]["responses"]["200"]["content"]["application/json"]
