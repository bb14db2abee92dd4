"""``ingest --jobs N`` of a plain weekly file: one piece per worker, cut from the file's size.

The warehouse must not depend on the number of jobs: the same rows, quarantine entries (record
index, line) and accounting as one process; the workers' parts are renamed into place (one per
piece and table, ``<ingest_id>.range-NNNNNN.parquet``) and handled as the ingest's parts by
clean-up and withdrawal; a failure is the one one process would meet first.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from patentreach.sources import limits
from patentreach.sources.concatenated_xml import split_documents
from patentreach.warehouse import ingest_log, ranged_ingest
from patentreach.warehouse.ingest import ingest
from patentreach.warehouse.layout import Warehouse
from patentreach.warehouse.part_writer import ingest_id_of, remove_uncommitted
from tests.conftest import shared_path

WEEKLY = ("data", "uspto-grant-xml", "ipg-weekly-samples", "ipg120103.small.xml")
QUOTED = b"<!-- a declaration quoted in a comment: <?xml version='1.0'?> -->"


def _quoted_copy(folder: Path) -> Path:
    """The weekly sample with a declaration quoted in a comment inside its fourth grant: the
    splitter cuts there (it does not parse), so the grant is quarantined in two pieces."""
    content = shared_path(*WEEKLY).read_bytes()
    fourth = content.index(b"<us-patent-grant", [i for i in range(len(content)) if content.startswith(b"<?xml", i)][3])
    path = folder / "quoted.xml"
    path.write_bytes(content[:fourth] + QUOTED + b"\n" + content[fourth:])
    return path


def _rows(warehouse: Warehouse) -> dict[str, list]:
    out = {}
    for folder in sorted((warehouse.root / "tables").iterdir()):
        table = pq.read_table(sorted(folder.glob("*.parquet"))).drop_columns(["ingest_id"])
        out[folder.name] = sorted(table.to_pylist(), key=repr)
    return out


def _outcomes(report) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(Path(f.label).name, f.status, f.read, f.stored, f.quarantined, f.skipped, f.warnings, f.error)
            for f in report.files]


@pytest.fixture(scope="module")
def by_jobs(tmp_path_factory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("inputs")
    (folder / WEEKLY[-1]).symlink_to(shared_path(*WEEKLY))
    _quoted_copy(folder)
    results = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ranged_ingest, "MIN_RANGED_BYTES", 1)
        for jobs in (1, 2, 3):
            warehouse = Warehouse(tmp_path_factory.mktemp(f"wh{jobs}"))
            report = ingest([folder], warehouse, jobs=jobs)
            results[jobs] = (_outcomes(report), _rows(warehouse), warehouse)
    return results


@pytest.mark.parametrize("jobs", [2, 3])
def test_jobs_reading_pieces_store_exactly_what_one_process_stores(by_jobs, jobs):
    outcomes, rows, _ = by_jobs[jobs]
    assert outcomes == by_jobs[1][0]
    assert rows == by_jobs[1][1]


def test_the_ingest_log_records_the_same_sha256_and_counts_and_a_second_run_stores_nothing(by_jobs):
    import hashlib

    def logged(warehouse: Warehouse) -> list[tuple]:
        return sorted((Path(e["path"]).name, e["size"], e["sha256"], e["read"], e["stored"], e["quarantined"])
                      for e in ingest_log.read_entries(warehouse))

    assert logged(by_jobs[3][2]) == logged(by_jobs[1][2])
    weekly = shared_path(*WEEKLY)
    assert (WEEKLY[-1], weekly.stat().st_size, hashlib.sha256(weekly.read_bytes()).hexdigest()) in [
        entry[:3] for entry in logged(by_jobs[3][2])
    ]
    again = ingest([_input(by_jobs, "quoted.xml")], by_jobs[3][2], jobs=3)
    assert [f.status for f in again.files] == ["already-ingested"]


def test_a_declaration_quoted_in_a_comment_cuts_the_grant_alike_with_any_number_of_jobs(by_jobs):
    counts = {o[0]: o[2:6] for o in by_jobs[3][0]}
    assert counts["quoted.xml"] == (26, 24, 2, 0)  # 25 documents and the cut-off tail of the fourth
    with open(_input(by_jobs, "quoted.xml"), "rb") as handle:
        expected = [(u.index, u.line) for u in split_documents(handle) if u.index in (3, 4)]
    quarantined = sorted((q["record_index"], q["line"]) for q in by_jobs[3][1]["quarantine"]
                         if q["source_file"].endswith("quoted.xml"))
    assert quarantined == expected


def _input(by_jobs, name: str) -> Path:  # type: ignore[no-untyped-def]
    warehouse = by_jobs[1][2]
    [entry] = [e for e in ingest_log.read_entries(warehouse) if e["path"].endswith(name)]
    return Path(entry["path"])


def test_each_workers_parts_are_renamed_into_place_one_per_piece_and_table(by_jobs):
    warehouse = by_jobs[3][2]
    names = sorted(p.name.split(".", 1)[1] for p in (warehouse.root / "tables" / "publications").glob("*.parquet"))
    assert names == sorted(["range-000000.parquet", "range-000001.parquet", "range-000002.parquet"] * 2)  # 2 files
    assert {ingest_id_of(p) for p in (warehouse.root / "tables").glob("*/*.parquet")} == ingest_log.committed_ids(
        warehouse
    )
    assert not any(warehouse.staging_dir.iterdir())


def test_clean_up_removes_the_range_parts_of_an_uncommitted_ingest_and_keeps_committed_ones(by_jobs, tmp_path):
    warehouse = by_jobs[2][2]
    folder = warehouse.table_dir("publications")
    stray = folder / "0123456789abcdef.range-000001.parquet"
    stray.write_bytes(b"left by a killed ingest")
    kept = sorted(folder.glob("*.parquet"))
    assert remove_uncommitted(warehouse, ingest_log.committed_ids(warehouse)) == 1
    assert sorted(folder.glob("*.parquet")) == [p for p in kept if p != stray]


def test_a_failed_commit_withdraws_every_range_part_already_moved(tmp_path, monkeypatch):
    monkeypatch.setattr(ranged_ingest, "MIN_RANGED_BYTES", 1)

    def full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ingest_log, "write_entry", full_disk)
    warehouse = Warehouse(tmp_path / "wh")
    report = ingest([shared_path(*WEEKLY)], warehouse, jobs=2)
    assert report.files[0].error == (
        f"{shared_path(*WEEKLY)}: cannot write to the warehouse (No space left on device);"
        " none of the 25 records read was stored"
    )
    assert not any((warehouse.root / "tables").glob("*/*.parquet"))
    assert not any(warehouse.staging_dir.iterdir())


def test_when_two_pieces_fail_the_error_is_the_first_in_the_file(tmp_path, monkeypatch):
    from patentreach.sources.uspto_grant import UsptoGrantXml

    monkeypatch.setattr(ranged_ingest, "MIN_RANGED_BYTES", 1)
    parse = UsptoGrantXml.parse

    def failing(self, unit, source_file):  # type: ignore[no-untyped-def]
        if unit.index in (2, 23):  # one in the first piece, one in the last
            raise KeyError(f"boom {unit.index}")
        return parse(self, unit, source_file)

    monkeypatch.setattr(UsptoGrantXml, "parse", failing)
    with open(shared_path(*WEEKLY), "rb") as handle:
        line = next(u.line for u in split_documents(handle) if u.index == 2)
    warehouse = Warehouse(tmp_path / "wh")
    report = ingest([shared_path(*WEEKLY)], warehouse, jobs=3)
    assert report.files[0].error == (
        f"{shared_path(*WEEKLY)}: record 2 (line {line}): the uspto-grant-xml reader failed: KeyError: 'boom 2'"
    )
    assert not any((warehouse.root / "tables").glob("*/*.parquet"))
    assert not any(warehouse.staging_dir.iterdir())


@pytest.mark.parametrize("limit", [3, 24])
def test_the_record_limit_holds_wherever_it_falls_among_the_pieces(tmp_path, monkeypatch, limit):
    monkeypatch.setattr(ranged_ingest, "MIN_RANGED_BYTES", 1)
    monkeypatch.setenv(limits.ENVIRONMENT_VARIABLE, "")  # restored after the test, as the limits are
    limits.configure(limits.Limits(max_records_per_file=limit))
    warehouse = Warehouse(tmp_path / "wh")
    report = ingest([shared_path(*WEEKLY)], warehouse, jobs=3)
    assert report.files[0].error.startswith(
        f"{shared_path(*WEEKLY)}: more than {limit} records: over the limit max_records_per_file={limit}"
    )
    assert not any((warehouse.root / "tables").glob("*/*.parquet"))
    assert not any(warehouse.staging_dir.iterdir())


# --- the other concatenated-XML readers -------------------------------------------------------

OTHER_READERS = {
    "uspto-application-xml": ("data", "uspto-application-xml"),
    "epo-ep-xml": ("data", "epo-ep-publication-xml"),
}


def _samples(reader: str) -> list[Path]:
    from patentreach.sources.concatenated_xml import starts_with_declaration

    files = sorted(p for p in shared_path(*OTHER_READERS[reader]).rglob("*") if p.suffix.lower() == ".xml")
    return [p for p in files if starts_with_declaration(p.read_bytes()[:100])]


@pytest.mark.parametrize("reader", sorted(OTHER_READERS))
def test_the_readers_served_by_ranges_split_their_samples_as_the_splitter_does(reader):
    from patentreach.sources import source_named

    assert reader in ranged_ingest.SPLIT_DOCUMENT_READERS
    source = source_named(reader)
    samples = _samples(reader)
    assert len(samples) >= 10
    for path in samples:
        with open(path, "rb") as one, open(path, "rb") as other:
            assert [(u.index, u.line, u.data) for u in source.units(one)] == [
                (u.index, u.line, u.data) for u in split_documents(other)
            ]


@pytest.fixture(scope="module")
def other_readers_by_jobs(tmp_path_factory):  # type: ignore[no-untyped-def]
    """Each reader's samples concatenated into one weekly-style file, ingested with 1, 2, 3 jobs."""
    folder = tmp_path_factory.mktemp("others")
    for reader in OTHER_READERS:
        (folder / f"{reader}.xml").write_bytes(b"\n".join(p.read_bytes() for p in _samples(reader)))
    results = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ranged_ingest, "MIN_RANGED_BYTES", 1)
        for jobs in (1, 2, 3):
            warehouse = Warehouse(tmp_path_factory.mktemp(f"others{jobs}"))
            report = ingest([folder], warehouse, jobs=jobs)
            parts = sorted(p.name.split(".", 1)[1] for p in warehouse.table_dir("publications").glob("*.parquet"))
            results[jobs] = (_outcomes(report), _rows(warehouse), parts)
    return results


@pytest.mark.parametrize("jobs", [2, 3])
def test_two_and_three_jobs_store_what_one_stores_for_the_application_and_ep_readers(other_readers_by_jobs, jobs):
    outcomes, rows, parts = other_readers_by_jobs[jobs]
    assert parts == sorted([f"range-{n:06d}.parquet" for n in range(jobs)] * 2)  # both files read in pieces
    assert other_readers_by_jobs[1][2] == ["parquet", "parquet"]  # one part per file
    assert outcomes == other_readers_by_jobs[1][0]
    assert [o[1] for o in outcomes] == ["ingested", "ingested"]
    assert rows == other_readers_by_jobs[1][1]
