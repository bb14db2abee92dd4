"""The transfers section on real transfer records (plus the three edited copies of
``conftest.bri_warehouse``): every figure is what ``patentreach.transfers`` returns for the same
definition, and the command printed beside a figure prints the same number."""

from __future__ import annotations

import json
import shlex
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.report.bulletin.context import BulletinContext
from patentreach.report.bulletin.model import Name, Ref, Section, SectionUnavailable
from patentreach.report.bulletin.request import BulletinRequest
from patentreach.report.bulletin.sections import transfers
from patentreach.transfers import run as library
from patentreach.transfers.spec import TransferSpec
from patentreach.warehouse.engines import connect
from patentreach.warehouse.ingest import ingest
from patentreach.warehouse.layout import Warehouse
from tests.conftest import shared_path


def _build(warehouse: Warehouse, year: int, options: dict | None = None) -> Section:
    request = BulletinRequest(warehouse=warehouse.root, year=year, origin="CN")
    with BulletinContext(request, warehouse) as ctx:
        return transfers.build(ctx, options or {}, {})


@pytest.fixture(scope="module")
def section(bri_warehouse: Warehouse) -> Section:
    return _build(bri_warehouse, 2015)


@pytest.fixture(scope="module")
def expected(bri_warehouse: Warehouse) -> dict[str, object]:
    """The library's answers for the same definitions, and the years of the stored transfers."""
    def spec(year: int, by: tuple[str, ...]) -> TransferSpec:
        return TransferSpec(origin=("CN",), destination_group="bri", date_from=date(year, 1, 1),
                            date_to=date(year, 12, 31), by=by)

    with connect(bri_warehouse) as engine:
        t = engine.table("transfers")
        years = t.aggregate(first=t.record_date.min().year(), last=t.record_date.max().year()).to_pyarrow()
        return {"2015": library.flows(engine, spec(2015, ())).rows,
                "destinations": library.flows(engine, spec(2015, ("destination",))).rows,
                "years": tuple(str(y) for y in years.to_pylist()[0].values())}


def test_the_year_s_total_patents_and_change_are_the_library_s_and_the_edited_records(
        section: Section, expected: dict) -> None:
    this_year = expected["2015"]
    assert section.figure("transfers.total.2015").value == this_year[0]["transactions"] == 2
    assert section.figure("transfers.patents.2015").value == this_year[0]["patents"] == 1  # one patent, twice
    assert section.figure("transfers.yoy.2015").value == pytest.approx(100.0)  # 2 in 2015 on the one 2014 copy
    assert section.figure("transfers.yoy.2015").unit == "percent_change"


def test_each_destination_is_the_library_s_cell(section: Section, expected: dict) -> None:
    cells = {row["destination"]: row for row in expected["destinations"]}
    assert set(cells) == {"WS"}  # Samoa; the real US -> JP assignments are neither from CN nor to BRI
    assert section.figure("transfers.WS.2015").value == cells["WS"]["transactions"]
    assert section.figure("transfers.patents.WS.2015").value == cells["WS"]["patents"]
    table = section.tables[0]
    assert table.key == "transfers.destinations"
    assert table.rows == [{"destination": "WS", "transactions": Ref("transfers.WS.2015", compact=False),
                           "patents": Ref("transfers.patents.WS.2015", compact=False)}]
    assert [c.kind for c in table.columns] == ["name:country", "figure", "figure"]
    spec = section.charts[0].spec("zh", lambda message: message)
    assert spec["data"]["values"] == [{"destination": "萨摩亚", "transactions": 2}]


def test_the_headline_sentence_quotes_the_total_and_its_change(section: Section) -> None:
    headline = section.sentences[0]
    assert headline.msgid == transfers.HEADLINE_CHANGE
    assert headline.params == {"year": "2015", "origin": Name("country", "CN"), "count": Ref("transfers.total.2015"),
                               "patents": Ref("transfers.patents.2015"), "change": Ref("transfers.yoy.2015"),
                               "prior": "2014"}


def _run(command: str) -> list[dict]:
    args = shlex.split(command)
    assert args[0] == "patentreach"
    result = CliRunner().invoke(app, args[1:])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["rows"]


def test_the_total_s_command_prints_the_same_number(section: Section) -> None:
    figure = section.figure("transfers.total.2015")
    rows = {row["year"]: row for row in _run(figure.command)}
    assert rows[2015]["transactions"] == figure.value
    assert rows[2014]["transactions"] == 1
    assert figure.definition["row"] == {"year": "2015"} and figure.definition["column"] == "transactions"
    assert "--cell year=2015" in figure.records and figure.dashboard.startswith("/transfers?origin=CN")


def test_a_year_with_no_prior_year_has_no_change(bri_warehouse: Warehouse) -> None:
    built = _build(bri_warehouse, 2014)
    assert built.sentences[0].msgid == transfers.HEADLINE
    assert [f.key for f in built.figures if "yoy" in f.key] == []
    assert built.figure("transfers.total.2014").value == 1


def test_a_year_outside_the_warehouse_says_which_years_it_holds(bri_warehouse: Warehouse, expected: dict) -> None:
    with pytest.raises(SectionUnavailable) as missing:
        _build(bri_warehouse, 2030)
    assert missing.value.note.msgid == transfers.NO_YEAR
    first, last = expected["years"]
    assert missing.value.note.params == {"year": "2030", "first": first, "last": last}
    assert (first, last) == ("2003", "2021")  # EPO OPS legal events of 2003; Assignment Search records to 2021


def test_a_warehouse_without_transfers_says_what_to_ingest(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "grants")
    grant = shared_path("data", "uspto-grant-xml", "single-docs", "go-uspto_v4-5-B1_US09358892.xml")
    assert ingest([grant], warehouse).failed == []
    with pytest.raises(SectionUnavailable) as missing:
        _build(warehouse, 2015)
    assert missing.value.note.msgid == transfers.NO_TRANSFERS
    assert "USPTO assignment XML" in missing.value.note.msgid and "PATSTAT" in missing.value.note.msgid
