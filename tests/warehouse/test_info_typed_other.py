"""``info`` says, office by office, how many documents are typed ``other`` and why: a kind code the
table does not know, one outside its dated meanings, a republication by the table, or the source's
own type. On a warehouse of the real Lens export and the real DOCDB samples."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.warehouse import Warehouse
from patentreach.warehouse.ingest import ingest
from patentreach.warehouse.typed_other import COLUMNS, typed_other
from patentreach.warehouse.views import connect
from tests.conftest import shared_path

FILES = (("lens", "lens-export_patents_jet-engine_2021-03.csv"), ("epo-docdb-xml",))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    target = Warehouse(tmp_path_factory.mktemp("typed-other") / "wh")
    ingest([shared_path("data", *parts) for parts in FILES], target)
    return target


def _rows(warehouse: Warehouse) -> dict[tuple[str, str], tuple[int, str]]:
    columns, rows = typed_other(connect(warehouse))
    assert columns == COLUMNS
    return {(office, reason): (documents, kinds) for office, reason, documents, kinds, _ in rows}


def test_unknown_kind_codes_are_counted_per_office(warehouse: Warehouse) -> None:
    rows = _rows(warehouse)
    unknown = {office: value for (office, reason), value in rows.items() if reason == "kind code unknown"}
    assert unknown == {
        "BG": (1, "U1"),
        "DE": (13, "B, B1, B2, T1"), "GE": (2, "B"), "PH": (3, "A1"), "RO": (3, "A0, A2"),
        "SU": (13, "A1, A2, A3"), "UA": (20, "C2, U"), "YU": (1, "A"),
    }


def test_republications_and_source_types_are_told_apart(warehouse: Warehouse) -> None:
    rows = _rows(warehouse)
    table = "republication, correction or non-patent (kind-code table)"
    assert rows[("WO", table)] == (6, "A4, A9")
    assert rows[("DE", table)] == (1, "T5")
    assert rows[("RU", table)] == (1, "A3")
    assert rows[("AT", table)] == (3, "T")
    assert rows[("AU", table)] == (1, "A2")
    assert rows[("WO", "the source's own type says so (source:lens)")] == (3, "A3")
    assert rows[("EP", "the source's own type says so (source:lens)")] == (5, "A3, A4, B9")
    assert sum(documents for documents, _ in rows.values()) == 77


def test_info_says_it_in_a_sentence_on_every_format(warehouse: Warehouse) -> None:
    runner = CliRunner()
    table = runner.invoke(app, ["info", "-w", str(warehouse.root)], env={"COLUMNS": "250"})
    assert table.exit_code == 0, table.output
    assert "UA: 20 documents typed other (kind code unknown: C2, U)" in table.output
    assert "BG: 1 document typed other (kind code unknown: U1)" in table.output
    csv_out = runner.invoke(app, ["info", "-w", str(warehouse.root), "--format", "csv"])
    assert "UA,kind code unknown,20,\"C2, U\",\"UA: 20 documents typed other (kind code unknown: C2, U)\"" in (
        csv_out.output.splitlines())
    json_out = runner.invoke(app, ["info", "-w", str(warehouse.root), "--format", "json"])
    assert json_out.exit_code == 0, json_out.output
    records = [record for chunk in _json_arrays(json_out.output) for record in chunk if "said" in record]
    assert {"office": "UA", "reason": "kind code unknown", "documents": 20, "kinds": "C2, U",
            "said": "UA: 20 documents typed other (kind code unknown: C2, U)"} in records


def _json_arrays(text: str) -> list[list[dict]]:
    """``info --format json`` prints one JSON array per section, one after the other."""
    decoder = json.JSONDecoder()
    arrays, position = [], 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        value, position = decoder.raw_decode(text, position)
        arrays.append(value)
    return arrays
