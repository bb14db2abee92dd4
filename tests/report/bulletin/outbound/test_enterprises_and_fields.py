"""Top enterprises by harmonised name, and the technology fields named from the reference data."""

from __future__ import annotations

from patentreach.report.bulletin.sections import enterprises, fields
from patentreach.warehouse import Warehouse


def test_harmonised_names_without_the_not_harmonised_note(harmonised_jp_2009: dict) -> None:
    section = harmonised_jp_2009["enterprises"]
    assert enterprises.NOT_STAMPED not in [t.msgid for t in section.notes]
    names = [row["name"] for row in section.tables[0].rows]
    assert names[0] == "JSR Corporation" and section.sentences[0].params["name"] == "JSR Corporation"
    assert section.sentences[0].params["count"].key == "enterprises.1.2009"


def test_entity_tables_not_written_by_harmonize_are_said(samples_jp_2009: dict) -> None:
    assert enterprises.NOT_STAMPED in [t.msgid for t in samples_jp_2009["enterprises"].notes]


def test_top_option_cuts_the_tables(mini_warehouse: Warehouse) -> None:
    from tests.report.bulletin.outbound.conftest import build_all

    built = build_all(mini_warehouse.root, "CN", 2021, options={"fields": {"top": 3}, "enterprises": {"top": 2}},
                      names=("fields", "enterprises"))
    assert [row["rank"] for row in built["fields"].tables[0].rows] == [1, 2, 3]
    assert [row["rank"] for row in built["enterprises"].tables[0].rows] == [1, 2]
    assert "--top 2" in built["enterprises"].figures[0].command


def test_fields_are_codes_named_from_the_reference_data(samples_jp_2009: dict) -> None:
    table = samples_jp_2009["fields"].tables[0]
    assert table.columns[1].kind == "name:field"
    assert all(row["field"].isdigit() and 1 <= int(row["field"]) <= 35 for row in table.rows)
    assert fields.SPLIT in [t.msgid for t in samples_jp_2009["fields"].notes]
