"""The service's frame: the API answers as the CLI does, pages come in the asked language."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from patentreach.cli.main import app as cli


def test_outbound_json_equals_the_cli_json(client, web_warehouse) -> None:
    answer = client.get("/api/v1/outbound", params={"origin": "JP", "offices": "US", "years": "2005-2012"})
    assert answer.status_code == 200
    printed = CliRunner().invoke(cli, ["stats", "outbound", "--origin", "JP", "--offices", "US", "--years",
                                       "2005-2012", "--format", "json", "--warehouse", str(web_warehouse.root)])
    assert printed.exit_code == 0, printed.output
    assert answer.json() == json.loads(printed.stdout)
    assert {(r["year"], r["count"]) for r in answer.json()["rows"]} >= {(2005, 10), (2007, 7)}


def test_an_unknown_office_is_a_400_with_the_clis_message(client, web_warehouse) -> None:
    answer = client.get("/api/v1/outbound", params={"offices": "XX"})
    assert answer.status_code == 400
    printed = CliRunner().invoke(cli, ["stats", "outbound", "--offices", "XX", "--warehouse",
                                       str(web_warehouse.root)])
    assert printed.exit_code == 2
    assert answer.json()["error"] in printed.stderr.replace("\n", " ")


def test_the_dashboard_speaks_chinese_when_asked(client) -> None:
    page = client.get("/", params={"lang": "zh"})
    assert page.status_code == 200
    assert "海外专利" in page.text
    assert page.cookies.get("lang") == "zh"
    assert "Outbound patents" in client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"},
                                            cookies={"lang": ""}).text
