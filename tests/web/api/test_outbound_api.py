"""``/api/v1/outbound`` and ``/outbound/records`` answer exactly as ``stats outbound`` and
``stats records --format json`` on the same warehouse; files carry the definition; refusals are
the CLI's one line, with the status that says whose move it is."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app as cli
from tests.conftest import shared_path

CASES = [
    # (API parameters, exact cells of the sample warehouse: (office, year) -> count). Few cases, each
    # several switches at once: every case is one computation on each side.
    ({"origin": "US", "offices": "EP", "unit": "families", "basis": "filing", "counting": "fractional"},
     {("EP", 1998): 1.0}),
    ({"origin": "DE", "offices": "major", "years": "2005-2009", "origin_rule": "applicants"},
     {("US", 2005): 3, ("US", 2009): 2}),
    ({"origin": "JP", "by": "field", "years": "2005"}, None),
    ({"origin": "JP", "by": "entity", "top": "3"}, None),
    ({"stage": "applications", "offices": "EP", "scope": "all"}, {("EP", 2003): 2, ("EP", 2008): 4}),
]


def cli_json(arguments: list[str], warehouse) -> dict:  # type: ignore[no-untyped-def]
    printed = CliRunner().invoke(cli, [*arguments, "--format", "json", "--warehouse", str(warehouse.root)])
    assert printed.exit_code == 0, printed.output
    return json.loads(printed.stdout)


def cli_arguments(params: dict[str, str]) -> list[str]:
    out = []
    for name, value in params.items():
        out += ["--type" if name == "type" else "--" + name.replace("_", "-"), value]
    return out


def cli_refusal(arguments: list[str], warehouse) -> str:  # type: ignore[no-untyped-def]
    printed = CliRunner().invoke(cli, [*arguments, "--warehouse", str(warehouse.root)])
    assert printed.exit_code == 2, printed.output
    return " ".join(printed.stderr.split())


@pytest.mark.parametrize(("params", "expected"), CASES, ids=[json.dumps(c[0]) for c in CASES])
def test_outbound_json_equals_the_cli(client, web_warehouse, params, expected) -> None:
    answer = client.get("/api/v1/outbound", params=params)
    assert answer.status_code == 200, answer.text
    assert answer.json() == cli_json(["stats", "outbound", *cli_arguments(params)], web_warehouse)
    if expected:
        got = {(r["office"], r["year"]): r["count"] for r in answer.json()["rows"]}
        assert {key: got.get(key) for key in expected} == expected


def test_exact_values_of_the_other_breakdowns(client) -> None:
    """(the same selections as above: answered from the service's cache)"""
    by_entity = client.get("/api/v1/outbound", params={"origin": "JP", "by": "entity", "top": "3"}).json()["rows"]
    assert [(r["entity_rank"], r["entity_name"], r["count"]) for r in by_entity] == [
        (1, "Canon Kabushiki Kaisha", 3), (2, "JSR Corporation", 2), (3, "Honda Giken Kogyo Kabushiki Kaisha", 2)]
    by_field = client.get("/api/v1/outbound", params={"origin": "JP", "by": "field", "years": "2005"}).json()["rows"]
    assert round(sum(r["count"] for r in by_field), 6) == 10  # the 10 JP grants of 2005, split over their fields
    assert {6, 8, 9, 17, 21, 26, 27, 31} <= {r["field"] for r in by_field}


def test_records_equal_the_cli_records(client, web_warehouse) -> None:
    cell = ["office=US", "year=2005"]
    params = {"origin": "JP", "offices": "major"}
    answer = client.get("/api/v1/outbound/records", params={**params, "cell": cell})
    assert answer.status_code == 200, answer.text
    arguments = ["stats", "records", *cli_arguments(params)]
    for item in cell:
        arguments += ["--cell", item]
    assert answer.json() == cli_json(arguments, web_warehouse)
    figure = client.get("/api/v1/outbound", params=params).json()["rows"]
    office, year = cell[0].split("=")[1], int(cell[1].split("=")[1])
    (count,) = [r["count"] for r in figure if r["office"] == office and r["year"] == year]
    assert len({r["pub_id"] for r in answer.json()["rows"]}) == count == 10


def test_the_csv_download_is_neutralised_and_says_its_definition(client) -> None:
    answer = client.get("/api/v1/outbound/records",
                        params={"origin": "JP", "offices": "US", "cell": ["office=US", "year=2005"], "format": "csv"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert 'filename="records.csv"' in answer.headers["content-disposition"]
    text = answer.text
    assert "US-6837086-B2" in text and "Kobe Steel, Ltd." in text
    from patentreach.model.spreadsheet_cells import neutralise

    for line in text.splitlines():
        for cell in line.split(","):
            assert cell == neutralise(cell)  # nothing a spreadsheet would run as a formula


def test_the_parquet_download_carries_the_definition(client) -> None:
    import pyarrow.parquet as pq

    answer = client.get("/api/v1/outbound", params={"origin": "JP", "offices": "US", "years": "2005-2012",
                                                    "format": "parquet"})
    assert answer.status_code == 200
    table = pq.read_table(io.BytesIO(answer.content))
    definition = json.loads(table.schema.metadata[b"patentreach.definition"])
    assert definition["origin"] == ["JP"] and definition["years"] == [2005, 2012]
    assert dict(zip(table.column("year").to_pylist(), table.column("count").to_pylist(), strict=True))[2005] == 10


def test_the_xlsx_download_is_a_workbook(client) -> None:
    answer = client.get("/api/v1/outbound", params={"origin": "JP", "offices": "US", "format": "xlsx"})
    assert answer.status_code == 200
    assert answer.content[:2] == b"PK"


@pytest.mark.parametrize(("path", "params", "cli_arguments_"), [
    ("/api/v1/outbound", {"offices": "XX"}, ["stats", "outbound", "--offices", "XX"]),
    ("/api/v1/outbound", {"years": "2021-2019"}, ["stats", "outbound", "--years", "2021-2019"]),
    ("/api/v1/outbound", {"by": "bogus"}, ["stats", "outbound", "--by", "bogus"]),
    ("/api/v1/outbound/records", {"cell": "bogus"}, ["stats", "records", "--cell", "bogus"]),
    ("/api/v1/outbound/records", {"cell": "office=XX"}, ["stats", "records", "--cell", "office=XX"]),
])
def test_refusals_are_400_with_the_clis_message(client, web_warehouse, path, params, cli_arguments_) -> None:
    answer = client.get(path, params=params)
    assert answer.status_code == 400
    assert answer.json()["status"] == 400
    assert cli_refusal(cli_arguments_, web_warehouse) == "error: " + answer.json()["error"]


def test_an_unknown_format_is_a_400(client) -> None:
    answer = client.get("/api/v1/outbound", params={"format": "pdf"})
    assert answer.status_code == 400
    assert answer.json()["error"].startswith("format 'pdf' is not known; choose from")


def test_no_warehouse_is_503(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from patentreach.warehouse import Warehouse
    from patentreach.web.app import create_app
    from patentreach.web.config import ServeConfig

    app = create_app(ServeConfig.for_warehouse(Warehouse(tmp_path / "nothing"), tmp_path / "state"))
    with TestClient(app) as client:
        answer = client.get("/api/v1/outbound")
        assert answer.status_code == 503
        assert "no warehouse here" in answer.json()["error"]
        assert client.get("/api/v1/coverage").status_code == 503


@pytest.fixture(scope="module")
def stale_client(web_warehouse, tmp_path_factory):  # type: ignore[no-untyped-def]
    """A copy of the web warehouse with one more file ingested and not harmonised."""
    from fastapi.testclient import TestClient

    from patentreach.warehouse import Warehouse
    from patentreach.warehouse.ingest import ingest
    from patentreach.web.app import create_app
    from patentreach.web.config import ServeConfig

    folder = tmp_path_factory.mktemp("stale")
    copy = Warehouse(shutil.copytree(web_warehouse.root, folder / "wh"))
    report = ingest([shared_path("data", "uspto-application-xml", "US20220240350A1-20220728.XML")], copy)
    assert not report.nothing_ingested
    with TestClient(create_app(ServeConfig.for_warehouse(copy, folder / "state"))) as client:
        yield client


def test_stale_harmonised_tables_are_409(stale_client) -> None:
    answer = stale_client.get("/api/v1/outbound", params={"origin": "JP"})
    assert answer.status_code == 409
    assert "harmonize" in answer.json()["error"]
    assert stale_client.get("/api/v1/coverage/selection", params={"origin": "JP"}).status_code == 409
    page = stale_client.get("/", params={"lang": "en"})
    assert page.status_code == 409 and 'id="problem"' in page.text and "harmonize" in page.text
    assert stale_client.get("/api/v1/coverage").status_code == 200  # where one looks to see why
