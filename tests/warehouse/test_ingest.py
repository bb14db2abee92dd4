"""Ingesting real USPTO files into a warehouse: counts, idempotence, one row per publication,
containers, unreadable files, interrupted ingests."""

from __future__ import annotations

import gzip
import shutil
import zipfile
from pathlib import Path

import pytest

from patentreach.warehouse import Warehouse, connect
from patentreach.warehouse.ingest import ingest
from patentreach.warehouse.part_writer import PartWriter
from tests.conftest import shared_path

GRANTS = ("data", "uspto-grant-xml")


def _count(warehouse: Warehouse, sql: str):
    return connect(warehouse).execute(sql).fetchone()


@pytest.fixture()
def warehouse(tmp_path: Path) -> Warehouse:
    return Warehouse(tmp_path / "wh")


def test_weekly_folder_is_logged_file_by_file_with_conserved_counts(warehouse):
    report = ingest([shared_path(*GRANTS, "ipg-weekly-samples")], warehouse)
    assert [f.status for f in report.files] == ["ingested"] * 8
    rows = connect(warehouse).execute(
        "SELECT read, stored, quarantined, skipped FROM ingest_log ORDER BY path"
    ).fetchall()
    assert rows == [(25, 25, 0, 0), (27, 25, 0, 2), (26, 25, 0, 1), (25, 25, 0, 0),
                    (25, 25, 0, 0), (25, 25, 0, 0), (25, 25, 0, 0), (196, 196, 0, 0)]
    assert _count(warehouse, "SELECT count(*) FROM publications") == (371,)
    assert _count(
        warehouse, "SELECT count(*) FROM publications WHERE doc_type = 'invention_grant'"
    ) == (152,)  # B1 + B2 per PROVENANCE: 25 + 22 + 21 + 18 + 22 + 22 + 22


def test_reingesting_the_same_files_never_duplicates(warehouse):
    folder = shared_path(*GRANTS, "ipg-weekly-samples")
    ingest([folder], warehouse)
    before = _count(warehouse, "SELECT (SELECT count(*) FROM all_publications), (SELECT count(*) FROM parties)")
    again = ingest([folder], warehouse)
    assert {f.status for f in again.files} == {"already-ingested"}
    after = _count(warehouse, "SELECT (SELECT count(*) FROM all_publications), (SELECT count(*) FROM parties)")
    assert after == before
    assert _count(warehouse, "SELECT count(*) FROM ingest_log") == (8,)


def test_same_content_under_another_name_is_not_stored_twice(warehouse, tmp_path):
    original = shared_path(*GRANTS, "ipgb-biblio", "ipgb20230404.xml")
    copy = tmp_path / "renamed.xml"
    shutil.copyfile(original, copy)
    ingest([original], warehouse)
    report = ingest([copy], warehouse)
    assert report.files[0].status == "already-ingested"
    assert _count(warehouse, "SELECT count(*) FROM all_publications") == (3,)


def test_a_document_repeated_inside_a_file_keeps_one_row_the_later_copy(warehouse):
    ingest([shared_path(*GRANTS, "ipgb-biblio", "ipgb20221025.xml")], warehouse)
    assert _count(warehouse, "SELECT count(*) FROM all_publications WHERE pub_id = 'US-D967598-S1'") == (2,)
    assert _count(
        warehouse, "SELECT count(*), max(record_index) FROM publications WHERE pub_id = 'US-D967598-S1'"
    ) == (1, 2)  # the copies are records 1 and 2
    assert _count(warehouse, "SELECT count(*) FROM publications") == (10,)
    # The children of only the kept copy are visible.
    assert _count(
        warehouse,
        "SELECT count(DISTINCT record_index) FROM parties WHERE pub_id = 'US-D967598-S1'",
    ) == (1,)


def test_a_publication_seen_again_in_another_file_keeps_one_row(warehouse):
    single = shared_path(*GRANTS, "single-docs", "go-uspto_v4-5-B2_US11147202.xml")
    pair = shared_path(*GRANTS, "single-docs", "go-uspto_test_2docs_US11147202-3.xml")
    ingest([single], warehouse)
    ingest([pair], warehouse)
    assert _count(warehouse, "SELECT count(*) FROM publications WHERE pub_id = 'US-11147202-B2'") == (1,)
    assert _count(warehouse, "SELECT count(*) FROM all_publications WHERE pub_id = 'US-11147202-B2'") == (2,)
    # The most recent ingest is current, and its parties are not doubled.
    assert _count(
        warehouse, "SELECT source_file LIKE '%2docs%' FROM publications WHERE pub_id = 'US-11147202-B2'"
    ) == (True,)
    assert _count(
        warehouse, "SELECT count(*) FROM parties WHERE pub_id = 'US-11147202-B2' AND role = 'inventor'"
    ) == (1,)


def test_zip_and_gzip_bulk_files_are_read_as_their_xml(warehouse, tmp_path):
    source = shared_path(*GRANTS, "ipg-weekly-samples", "ipg060103.small.xml")
    archive = tmp_path / "ipg060103.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.write(source, "ipg060103.xml")
    gz = tmp_path / "ipgb20230404.xml.gz"
    gz.write_bytes(gzip.compress(shared_path(*GRANTS, "ipgb-biblio", "ipgb20230404.xml").read_bytes()))
    report = ingest([archive, gz], warehouse)
    assert [(Path(f.label).name, f.read, f.stored, f.skipped) for f in report.files] == [
        ("ipg060103.zip!ipg060103.xml", 27, 25, 2),
        ("ipgb20230404.xml.gz", 3, 3, 0),
    ]


def test_quarantined_document_is_stored_with_file_index_line_and_raw(warehouse):
    ingest([shared_path(*GRANTS, "quirks")], warehouse)
    row = _count(
        warehouse,
        "SELECT source_file LIKE '%US07057742%', record_index, line, reason, length(raw), raw LIKE '<?xml%'"
        " FROM quarantine",
    )
    assert row == (True, 0, 880, "not well-formed XML: mismatched tag at line 880, column 2", 65536, True)
    assert _count(warehouse, "SELECT read, stored, quarantined FROM ingest_log") == (1, 0, 1)


def test_an_unreadable_file_is_reported_by_name_and_the_rest_ingested(warehouse, tmp_path):
    junk = tmp_path / "notes.xml"
    junk.write_text("this is not patent data\n")
    broken_zip = tmp_path / "ipg.zip"
    broken_zip.write_bytes(b"PK\x03\x04 truncated")
    good = shared_path(*GRANTS, "ipgb-biblio", "ipgb20230404.xml")
    report = ingest([junk, good], warehouse)
    assert [f.status for f in report.files] == ["error", "ingested"]
    assert report.files[0].error == (
        f'{junk}: no reader recognises this content (first bytes: "this is not patent data\\x0a"; '
        "use --reader to force one)"
    )
    assert not report.nothing_ingested
    broken = ingest([broken_zip], warehouse).files
    assert [(f.status, f.error) for f in broken] == [
        ("error", f"{broken_zip}: not a readable zip archive (File is not a zip file)")
    ]


def test_parts_without_an_ingest_log_entry_are_invisible_and_cleaned_up(warehouse):
    """The state a kill -9 leaves between moving parts into place and committing them."""
    ingest([shared_path(*GRANTS, "ipgb-biblio", "ipgb20230404.xml")], warehouse)
    from patentreach.sources.uspto_grant import UsptoGrantXml
    from patentreach.warehouse.ingest import parse_batch

    orphan = PartWriter(warehouse, "deadbeefdeadbeef")
    path = shared_path(*GRANTS, "ipg-weekly-samples", "ipg050104.small.xml")
    with open(path, "rb") as handle:
        units = list(UsptoGrantXml().units(handle))
    result = parse_batch("uspto-grant-xml", units, str(path), "deadbeefdeadbeef")
    for table, rows in result.tables.items():
        orphan.add(table, rows)
    orphan.finish()
    orphan.move_into_place()
    assert (warehouse.table_dir("publications") / "deadbeefdeadbeef.parquet").exists()
    assert _count(warehouse, "SELECT count(*) FROM publications") == (3,)
    ingest([shared_path(*GRANTS, "ipgb-biblio", "ipgb20230404.xml")], warehouse)
    assert not (warehouse.table_dir("publications") / "deadbeefdeadbeef.parquet").exists()


@pytest.mark.parametrize("jobs", [1, 2])
def test_parallel_parsing_gives_the_same_rows(tmp_path, jobs):
    warehouse = Warehouse(tmp_path / f"wh{jobs}")
    ingest([shared_path(*GRANTS, "ipg-weekly-samples")], warehouse, jobs=jobs)
    assert _count(
        warehouse,
        "SELECT count(*), count(DISTINCT pub_id), sum(hash(pub_id, record_index)) % 1000003 FROM publications",
    )[:2] == (371, 371)
    assert _count(warehouse, "SELECT count(*) FROM parties") == (1845,)


def test_every_contributing_source_is_listed_and_one_copy_is_current(warehouse):
    single = shared_path(*GRANTS, "single-docs", "go-uspto_v4-5-B2_US11147202.xml")
    pair = shared_path(*GRANTS, "single-docs", "go-uspto_test_2docs_US11147202-3.xml")
    ingest([single, pair], warehouse)
    rows = connect(warehouse).execute(
        "SELECT split_part(source_file, '/', -1), current FROM publication_sources"
        " WHERE pub_id = 'US-11147202-B2' ORDER BY current"
    ).fetchall()
    assert rows == [("go-uspto_v4-5-B2_US11147202.xml", False), ("go-uspto_test_2docs_US11147202-3.xml", True)]


def test_derived_datasets_become_views_of_the_same_name(warehouse):
    import pyarrow as pa
    import pyarrow.parquet as pq

    ingest([shared_path(*GRANTS, "ipgb-biblio", "ipgb20230404.xml")], warehouse)
    warehouse.derived_dir.mkdir()
    pq.write_table(pa.table({"pub_id": ["US-1-B1"], "country": ["CN"]}), warehouse.derived_dir / "origins.parquet")
    assert _count(warehouse, "SELECT pub_id, country FROM origins") == ("US-1-B1", "CN")


def test_reader_warnings_are_stored_with_file_and_record(warehouse):
    """A DOCDB fragment cut from bulk without its namespace declaration is repaired and stored;
    the repair is kept in ingest_warnings and counted in the ingest log."""
    fragment = shared_path("data", "epo-docdb-xml", "WO-2022259205-A1_544370561.xml")
    report = ingest([fragment], warehouse)
    assert (report.files[0].stored, len(report.files[0].warnings)) == (1, 1)
    row = _count(warehouse, "SELECT record_index, message LIKE '%xmlns:exch%' FROM ingest_warnings")
    assert row == (0, True)
    assert _count(warehouse, "SELECT warnings FROM ingest_log") == (1,)
