"""``/api/v1/entities`` and ``/api/v1/reference``: the CLI's JSON, and one-line 404s."""

from __future__ import annotations

from typer.testing import CliRunner

from patentreach.cli.main import app as cli
from tests.web.areas.conftest import cli_json

BOSCH = "E694902bb43d4"


def test_entity_search_equals_the_cli(client, web_warehouse) -> None:
    for params, args in (({"q": "robert bosch"}, ["robert bosch"]),
                         ({"q": "Sony", "limit": "3", "show": "0"}, ["Sony", "--limit", "3", "--show", "0"])):
        answer = client.get("/api/v1/entities", params=params)
        assert answer.status_code == 200
        assert answer.json() == cli_json(web_warehouse, "entities", "search", *args)
    found = client.get("/api/v1/entities", params={"q": "robert bosch"}).json()
    assert (found["query"], found["normalised"]) == ("robert bosch", "ROBERT BOSCH")
    assert [(e["entity_id"], e["name"], e["sector"], e["match"]) for e in found["entities"]] == [
        (BOSCH, "ROBERT BOSCH G.M.B.H.", "company", "exact")]
    assert [p["pub_id"] for p in found["publications"]] == ["DE-1258188-B", "DE-1258189-B"]
    sony = client.get("/api/v1/entities", params={"q": "Sony", "show": "0"}).json()
    assert sony["entities"][0]["name"] == "Sony Corporation" and sony["entities"][0]["country"] == "JP"
    assert sony["variants"] == [] and sony["publications"] == []


def test_no_match_is_an_empty_list(client) -> None:
    answer = client.get("/api/v1/entities", params={"q": "Nonexistent Widgets"})
    assert answer.status_code == 200 and answer.json()["entities"] == []


def test_one_entity_by_id(client) -> None:
    answer = client.get(f"/api/v1/entities/{BOSCH}")
    assert answer.status_code == 200
    found = answer.json()
    assert found["entity"] == {"entity_id": BOSCH, "name": "ROBERT BOSCH G.M.B.H.", "country": None,
                               "sector": "company", "n_parties": 2, "n_publications": 2}
    assert [(v["name"], v["normalised_name"], v["kind"]) for v in found["variants"]] == [
        ("ROBERT BOSCH G.M.B.H.", "ROBERT BOSCH", "organisation")]
    assert [(p["pub_id"], p["role"], p["pub_date"]) for p in found["publications"]] == [
        ("DE-1258188-B", "applicant", "1968-01-04"), ("DE-1258189-B", "applicant", "1968-01-04")]


def test_an_unknown_entity_is_a_404_with_one_line(client) -> None:
    answer = client.get("/api/v1/entities/E000000000000")
    assert answer.status_code == 404
    assert answer.json() == {"error": "no entity 'E000000000000' (find one with /api/v1/entities?q=NAME)",
                             "status": 404}


def test_reference_list_and_show_equal_the_cli(client) -> None:
    runner = CliRunner()
    import json

    listed = runner.invoke(cli, ["refdata", "list", "--format", "json"])
    assert client.get("/api/v1/reference").json() == json.loads(listed.stdout)
    shown = runner.invoke(cli, ["refdata", "show", "countries", "--format", "json"])
    answer = client.get("/api/v1/reference/countries").json()
    assert answer == json.loads(shown.stdout)
    china = next(row for row in answer if row["code"] == "CN")
    assert china["name"] == "China"


def test_an_unknown_reference_table_is_a_404_with_the_clis_message(client) -> None:
    answer = client.get("/api/v1/reference/countrys")
    assert answer.status_code == 404
    printed = CliRunner().invoke(cli, ["refdata", "show", "countrys"])
    assert printed.exit_code == 2
    assert answer.json()["error"] == " ".join(printed.output.replace("error:", "", 1).split())
    assert answer.json()["error"].endswith("(did you mean countries?)")
