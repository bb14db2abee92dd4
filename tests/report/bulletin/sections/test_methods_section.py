"""The methods annex on the real transfer records: its provenance lists the ingest log's files
with their sha256 exactly, its sources the files and records per reader, its counting rules the
definitions of the figures the built sections printed; the software version and the command."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pytest

from patentreach.report.bulletin.context import BulletinContext
from patentreach.report.bulletin.model import Figure, Section, Text
from patentreach.report.bulletin.request import BulletinRequest
from patentreach.report.bulletin.sections import methods
from patentreach.warehouse.ingest_log import read_entries
from patentreach.warehouse.layout import Warehouse


@pytest.fixture(scope="module")
def annex(bri_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Section:
    request = BulletinRequest(warehouse=bri_warehouse.root, year=2015, out=tmp_path_factory.mktemp("methods"),
                              argv=("bulletin", "--warehouse", str(bri_warehouse.root), "--year", "2015"))
    printed = Section("transfers", "Transfers", figures=[
        Figure("transfers.total.2015", "transfers", 2, "count", "x", {"origin": ["CN"], "computed": {"engine": None}},
               "cmd"),
        Figure("transfers.WS.2015", "transfers", 2, "count", "x", {"origin": ["CN"], "column": "transactions",
                                                                    "row": {"destination": "WS"}}, "cmd"),
    ])
    left_out = Section("survey", "Survey", omitted=Text("no survey"))
    with BulletinContext(request, bri_warehouse) as ctx:
        return methods.build(ctx, {}, {"transfers": printed, "survey": left_out})


def _table(section: Section, key: str):
    return next(t for t in section.tables if t.key == key)


def test_provenance_lists_the_ingest_log_s_sha256_exactly(annex: Section, bri_warehouse: Warehouse) -> None:
    entries = read_entries(bri_warehouse)
    rows = _table(annex, "methods.provenance").rows
    assert sorted((r["input"], r["sha256"]) for r in rows) == sorted((e["path"], e["sha256"]) for e in entries)
    assert len(rows) == len(entries) == 10  # nine real files and the edited copy


def test_sources_count_files_and_records_per_reader(annex: Section, bri_warehouse: Warehouse) -> None:
    entries = read_entries(bri_warehouse)
    rows = {r["source"]: r for r in _table(annex, "methods.sources").rows}
    assert set(rows) == {e["reader"] for e in entries}
    for reader, row in rows.items():
        mine = [e for e in entries if e["reader"] == reader]
        assert row["files"] == len(mine) and row["stored"] == sum(e["stored"] for e in mine)
    assert rows["uspto-assignment-xml"]["files"] == 2 and rows["uspto-assignment-xml"]["stored"] == 202
    assert (rows["uspto-assignment-xml"]["first"], rows["uspto-assignment-xml"]["last"]) == ("2014-12-30",
                                                                                             "2015-12-31")


def test_counting_rules_come_from_the_printed_figures(annex: Section) -> None:
    rows = _table(annex, "methods.rules").rows
    assert rows == [{"section": Text("Transfers"), "figures": 2, "rule": 'origin: ["CN"]'}]


def test_software_version_and_command(annex: Section, bri_warehouse: Warehouse) -> None:
    rows = _table(annex, "methods.software").rows
    assert rows[0]["value"] == f"patentreach {version('patentreach')}"
    assert rows[1]["value"] == f"patentreach bulletin --warehouse {bri_warehouse.root} --year 2015"
    assert Text(methods.NO_SURVEY) in annex.notes
    assert annex.sentences[0].msgid == methods.VINTAGE and annex.sentences[0].params["files"] == 10


def test_an_empty_ingest_log_is_said(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "empty")
    warehouse.root.mkdir()
    request = BulletinRequest(warehouse=warehouse.root, out=tmp_path / "out")
    with BulletinContext(request, warehouse) as ctx:
        section = methods.build(ctx, {}, {})
    assert Text(methods.NO_INPUTS) in section.notes and Text(methods.NO_RULES) in section.notes
