"""The PatentsView reader: real legacy tables, and the g_* join on synthetic fixtures
(tests/fixtures/patentsview_g, no real g_* rows exist; see its README)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from patentreach.sources.patentsview import PatentsViewTsv
from tests.conftest import shared_path
from tests.sources.vendor_helpers import counts, read_bytes, read_file, records_by_id, symbols

READER = PatentsViewTsv()
LEGACY = ("data", "patentsview-tsv", "legacy")
G_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "patentsview_g"


def test_legacy_patent_table() -> None:
    path = shared_path(*LEGACY, "patent.truncated10.tsv")
    assert READER.sniff(path.read_bytes()[:65536]).version == "legacy:patent"  # despite x"id"
    parsed = read_file(READER, path)
    assert counts(parsed) == {"stored": 9}
    records = records_by_id(parsed)
    assert sorted(records) == [f"US-1000000{n}-B2" for n in range(9)]
    first = records["US-10000000-B2"].publication
    assert (first.number, first.kind, first.doc_type, first.pub_date) == (
        "10000000", "B2", "invention_grant", date(2018, 6, 19))
    assert first.title == "Coherent LADAR using intra-pixel quadrature detection"
    second = records["US-10000001-B2"].publication
    assert second.title == "Injection molding machine and mold thickness control method"
    assert [p.quarantined for p in parsed] == [None] * 9
    assert [p.record.publication.record_index for p in parsed] == list(range(9))


def test_legacy_assignee_rows_are_skipped_reference_rows() -> None:
    parsed = read_file(READER, shared_path(*LEGACY, "assignee.tuhh-reduced.subset.tsv"))
    assert counts(parsed) == {"skipped": 10499}
    assert parsed[0].skipped.reason.startswith(
        "assignee reference row without patent link (legacy assignee table: "
        "id org_004j997jM9yEdS7z4ReD, type 3)")


def test_legacy_citations_are_skipped() -> None:
    parsed = read_file(READER, shared_path(*LEGACY, "uspatentcitation.truncated10.tsv"))
    assert counts(parsed) == {"skipped": 9}
    assert parsed[1].skipped.reason == (
        "citation row (patent D674253 cites D519335): citations are not in the model")


def test_legacy_bad_rows_are_quarantined_naming_row_and_field() -> None:
    lines = shared_path(*LEGACY, "patent.truncated10.tsv").read_bytes().split(b"\n")
    bad_date = lines[1].replace(b'"2018-06-19"', b'"2018-06-31"')
    short = b"\t".join(lines[2].split(b"\t")[:5])
    parsed = read_bytes(READER, b"\n".join([lines[0], bad_date, short, lines[3]]) + b"\n")
    assert counts(parsed) == {"stored": 1, "quarantined": 2}
    assert parsed[0].quarantined.reason == (
        "patent row 1 (line 2), patent 10000000: date: '2018-06-31' is not a YYYY-MM-DD date")
    assert parsed[1].quarantined.reason == "patent row 2 (line 3): row: 5 values for 11 columns"


def _g_records() -> dict:
    return records_by_id(read_file(READER, G_FIXTURES / "g_patent.tsv"))


def test_g_patent_joins_its_siblings() -> None:
    parsed = read_file(READER, G_FIXTURES / "g_patent.tsv")
    assert counts(parsed) == {"stored": 3, "skipped": 1}
    assert parsed[3].skipped.reason == "patent 11000003: withdrawn (withdrawn=1), never issued"
    record = _g_records()["US-11000001-B2"]
    pub = record.publication
    assert (pub.doc_type, pub.pub_date, pub.application_number, pub.application_date) == (
        "invention_grant", date(2021, 5, 4), "16500001", date(2019, 4, 3))
    assert pub.earliest_priority_date == date(2018, 4, 4)
    assignees = [(p.sequence, p.name, p.kind, p.city, p.country, p.source_entity_id, p.source_type_code)
                 for p in record.parties if p.role == "assignee"]
    assert assignees == [
        (1, "Example Turbines GmbH", "organisation", "Munich", "DE",
         "a1b2c3d4-0000-4000-8000-000000000001", "3"),
        (2, "Example Aero Inc.", "organisation", "Hartford", "US",
         "a1b2c3d4-0000-4000-8000-000000000002", "2"),
    ]
    inventors = [(p.name, p.state, p.country) for p in record.parties if p.role == "inventor"]
    assert inventors == [("Anna Beispiel", None, "DE"), ("Bob Sample", "CT", "US")]
    assert symbols(record, "IPC") == [("F01D 5/18", "first"), ("F02C 7/18", "additional")]
    assert symbols(record, "CPC") == [("F01D 5/187", "first"), ("Y02T 50/60", "additional")]
    assert [(p.office, p.number, p.date, p.kind) for p in record.priorities] == [
        ("DE", "102018205001.5", date(2018, 4, 4), "paris")]


def test_g_individual_assignee_and_design() -> None:
    records = _g_records()
    individual = next(p for p in records["US-11000002-B1"].parties if p.role == "assignee")
    assert (individual.name, individual.kind, individual.source_type_code) == ("Jane Example", "person", "4")
    design = records["US-D920001-S1"]
    assert (design.publication.doc_type, design.publication.number) == ("design", "D920001")
    assert [(p.name, p.country, p.source_type_code) for p in design.parties if p.role == "assignee"] == [
        ("Example Bottles Co., Ltd.", "CN", "3")]


def test_g_patent_without_siblings_warns(tmp_path) -> None:  # type: ignore[no-untyped-def]
    shutil.copy(G_FIXTURES / "g_patent.tsv", tmp_path / "g_patent.tsv")
    parsed = read_file(READER, tmp_path / "g_patent.tsv")
    assert counts(parsed) == {"stored": 3, "skipped": 1}
    assert parsed[0].warnings[0].startswith("g_patent: sibling tables not found beside it: g_application")
    assert records_by_id(parsed)["US-11000001-B2"].parties == []


def test_g_sibling_files_alone_are_skipped() -> None:
    parsed = read_file(READER, G_FIXTURES / "g_cpc_current.tsv")
    assert counts(parsed) == {"skipped": 4}
    assert parsed[0].skipped.reason == (
        "g_cpc_current row for patent 11000001: joined into its patent when g_patent.tsv in the "
        "same folder is read")
    assert READER.sniff((G_FIXTURES / "g_location_disambiguated.tsv").read_bytes()).version == (
        "g:g_location_disambiguated")
