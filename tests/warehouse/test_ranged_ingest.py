"""``--jobs N`` on a USPTO weekly file: workers split, parse and write byte ranges (issue 20).

The ranges are cut at ``<?xml`` declarations by the main process, which counts the record index
and line each starts at; what the warehouse holds must not depend on where the cuts fall: the
same rows, the same quarantine entries (record index, line, reason) and the same accounting as
one process reading the file whole.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from patentreach.sources import limits
from patentreach.sources.base import Quarantined
from patentreach.sources.concatenated_xml import (
    RangeReader,
    declaration_ranges,
    split_documents,
    starts_with_declaration,
)
from patentreach.warehouse import ingest_log, ranged_ingest
from patentreach.warehouse.ingest import ingest
from patentreach.warehouse.layout import Warehouse
from tests.conftest import shared_path

GRANTS = ("data", "uspto-grant-xml")
WEEKLY = (*GRANTS, "ipg-weekly-samples", "ipg120103.small.xml")
DESIGNS = (*GRANTS, "ipg-weekly-samples", "ipg120327.196-designs.xml")
PATDOC = (*GRANTS, "pg-v2.5-2002", "pg020507hundred.xml")
MALFORMED = (*GRANTS, "quirks", "US07057742-20060606.malformed-mathml.XML")


def _unit(unit) -> tuple:  # type: ignore[no-untyped-def]
    data = unit.data
    if isinstance(data, Quarantined):
        return unit.index, unit.line, (data.index, data.line, tuple(data.reasons), data.raw)
    return unit.index, unit.line, data


def _units_by_ranges(path: Path, target: int, block: int, max_document_bytes: int | None = None) -> list[tuple]:
    units = []
    with open(path, "rb", buffering=0) as raw:
        ranges = list(declaration_ranges(raw, target, block))
    for byte_range in ranges:
        with RangeReader(str(path), byte_range.offset, byte_range.length) as stream:
            found = [_unit(u) for u in split_documents(stream, block, max_document_bytes,
                                                       byte_range.first_index, byte_range.first_line)]
        assert len(found) == byte_range.units
        units.extend(found)
    assert [r.offset + r.length for r in ranges[:-1]] == [r.offset for r in ranges[1:]]
    return units


@pytest.mark.parametrize("parts", [WEEKLY, DESIGNS, PATDOC, MALFORMED])
@pytest.mark.parametrize(("target", "block"), [(1, 1_000), (30_000, 4_096), (200_000, 65_536), (10**9, 1 << 20)])
def test_byte_ranges_cut_at_declarations_yield_the_units_of_the_whole_file(parts, target, block):
    path = shared_path(*parts)
    with open(path, "rb") as handle:
        whole = [_unit(u) for u in split_documents(handle, block)]
    assert _units_by_ranges(path, target, block) == whole


@pytest.mark.parametrize(("target", "block"), [(1, 2_000), (50_000, 1_000), (200_000, 65_536)])
def test_an_oversized_document_is_quarantined_alike_whatever_the_cuts_and_blocks(target, block):
    path = shared_path(*WEEKLY)
    with open(path, "rb") as handle:
        whole = [_unit(u) for u in split_documents(handle, 1 << 20, 70_000)]
    oversized = [u for u in whole if not isinstance(u[2], bytes)]
    assert len(oversized) == 15  # the sample grants over 70,000 bytes
    assert "document of 114,068 bytes" in oversized[0][2][2][0]
    assert _units_by_ranges(path, target, block, 70_000) == whole


def test_a_range_counts_every_declaration_including_one_cut_by_a_block_boundary():
    document = b"<?xml version='1.0'?>\n<a>\n</a>\n"
    content = document * 5
    for block in range(1, len(content) + 1):
        ranges = list(declaration_ranges(io.BytesIO(content), len(document), block))
        assert [(r.offset, r.first_index, r.first_line, r.units) for r in ranges] == [
            (i * len(document), i, 1 + 3 * i, 1) for i in range(5)
        ]


def test_only_content_opening_with_a_declaration_is_cut_into_ranges():
    assert starts_with_declaration(b"\n  <?xml version='1.0'?><a/>")
    assert not starts_with_declaration(b"\xef\xbb\xbf<?xml version='1.0'?><a/>")  # a byte order mark
    assert not starts_with_declaration(b"<us-patent-grant/>")


def _rows(warehouse: Warehouse) -> dict[str, list]:
    out = {}
    for folder in sorted((warehouse.root / "tables").iterdir()):
        parts = sorted(folder.glob("*.parquet"))
        assert len(parts) == len({p.stem for p in parts})  # one part per ingest and table
        table = pq.read_table(parts).drop_columns(["ingest_id"])
        out[folder.name] = sorted(table.to_pylist(), key=repr)  # parts are named by random ingest ids
    return out


def _outcomes(report) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(Path(f.label).name, f.status, f.read, f.stored, f.quarantined, f.skipped, f.warnings, f.error)
            for f in report.files]


@pytest.fixture(scope="module")
def one_and_many(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The same files (plain, gzip, zip member) ingested by one process and by two workers
    cutting 40 KB ranges."""
    folder = tmp_path_factory.mktemp("inputs")
    for parts in (WEEKLY, MALFORMED):
        (folder / parts[-1]).symlink_to(shared_path(*parts))
    # Compressed content is spooled into the staging folder, and the workers read that.
    (folder / f"{DESIGNS[-1]}.gz").write_bytes(gzip.compress(shared_path(*DESIGNS).read_bytes()))
    with zipfile.ZipFile(folder / "pg.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(shared_path(*PATDOC), PATDOC[-1])
    results = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ranged_ingest, "RANGE_BYTES", 40_000)
        patch.setattr(ranged_ingest, "MIN_RANGED_BYTES", 1)
        calls: list = []
        patch.setattr(ranged_ingest, "declaration_ranges", _counting(ranged_ingest.declaration_ranges, calls))
        for jobs in (1, 2):
            warehouse = Warehouse(tmp_path_factory.mktemp(f"wh{jobs}"))
            report = ingest([folder], warehouse, jobs=jobs)
            results[jobs] = (_outcomes(report), _rows(warehouse), len(calls))
    return results


def _counting(function, calls):  # type: ignore[no-untyped-def]
    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        for byte_range in function(*args, **kwargs):
            calls.append(byte_range)
            yield byte_range

    return counted


def test_two_jobs_cutting_ranges_store_exactly_the_rows_of_one_process(one_and_many):
    outcomes, rows, ranges = one_and_many[2]
    assert ranges > 20  # the files were really read in ranges (a 40 KB range holds one grant or two)
    assert one_and_many[1][2] == 0
    assert outcomes == one_and_many[1][0]
    assert len(outcomes) == 4 and all(o[1] == "ingested" for o in outcomes)
    assert rows == one_and_many[1][1]


def test_the_malformed_grant_is_quarantined_with_the_same_record_and_line_by_ranges(one_and_many):
    quarantine = one_and_many[2][1]["quarantine"]
    assert [(Path(q["source_file"]).name, q["record_index"], q["line"]) for q in quarantine] == [
        (MALFORMED[-1], 0, 880)
    ]
    assert quarantine[0]["reason"].startswith("not well-formed XML: mismatched tag")
    counts = {o[0]: o[2:6] for o in one_and_many[2][0]}
    assert counts[MALFORMED[-1]] == (1, 0, 1, 0)
    assert counts[f"{DESIGNS[-1]}.gz"] == (196, 196, 0, 0)
    assert counts[f"pg.zip!{PATDOC[-1]}"] == (100, 100, 0, 0)


def test_the_record_limit_holds_for_a_file_read_in_ranges(tmp_path, monkeypatch):
    monkeypatch.setattr(ranged_ingest, "RANGE_BYTES", 40_000)
    monkeypatch.setattr(ranged_ingest, "MIN_RANGED_BYTES", 1)
    monkeypatch.setenv(limits.ENVIRONMENT_VARIABLE, "")  # restored after the test, as the limits are
    limits.configure(limits.Limits(max_records_per_file=20))
    report = ingest([shared_path(*WEEKLY)], Warehouse(tmp_path / "wh"), jobs=2)
    assert report.files[0].status == "error"
    assert report.files[0].error.startswith(
        f"{shared_path(*WEEKLY)}: more than 20 records: over the limit max_records_per_file=20"
        " (lift it with --limit max_records_per_file=N)"
    )
    assert not any((tmp_path / "wh" / "tables").glob("*/*.parquet"))
    assert not any((tmp_path / "wh" / "staging").iterdir())


def test_the_ingest_log_is_read_once_per_run_not_once_per_file(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    for parts in (WEEKLY, MALFORMED, (*GRANTS, "ipgb-biblio", "ipgb20230404.xml")):
        (folder / parts[-1]).symlink_to(shared_path(*parts))
    calls = []
    read_entries = ingest_log.read_entries
    monkeypatch.setattr(ingest_log, "read_entries", lambda w: calls.append(1) or read_entries(w))
    warehouse = Warehouse(tmp_path / "wh")
    first = ingest([folder], warehouse)
    second = ingest([folder], warehouse)
    assert [f.status for f in first.files] == ["ingested"] * 3
    assert [f.status for f in second.files] == ["already-ingested"] * 3
    assert len(calls) == 2


def test_a_reader_failing_in_a_worker_fails_the_file_naming_the_record_and_leaves_nothing(tmp_path, monkeypatch):
    from patentreach.sources.uspto_grant import UsptoGrantXml

    monkeypatch.setattr(ranged_ingest, "RANGE_BYTES", 40_000)
    monkeypatch.setattr(ranged_ingest, "MIN_RANGED_BYTES", 1)
    parse = UsptoGrantXml.parse

    def failing(self, unit, source_file):  # type: ignore[no-untyped-def]
        if unit.index == 7:
            raise KeyError("boom")
        return parse(self, unit, source_file)

    monkeypatch.setattr(UsptoGrantXml, "parse", failing)
    with open(shared_path(*WEEKLY), "rb") as handle:
        line = next(u.line for u in split_documents(handle) if u.index == 7)
    warehouse = Warehouse(tmp_path / "wh")
    report = ingest([shared_path(*WEEKLY)], warehouse, jobs=2)
    assert report.files[0].error == (
        f"{shared_path(*WEEKLY)}: record 7 (line {line}): the uspto-grant-xml reader failed: KeyError: 'boom'"
    )
    assert not any((warehouse.root / "tables").glob("*/*.parquet"))
    assert not any(warehouse.staging_dir.iterdir())


def test_the_progress_display_counts_each_byte_of_a_file_read_in_ranges_once(tmp_path, monkeypatch):
    from patentreach.warehouse.ingest import ProgressHook

    monkeypatch.setattr(ranged_ingest, "RANGE_BYTES", 40_000)
    monkeypatch.setattr(ranged_ingest, "MIN_RANGED_BYTES", 1)

    class Counted(ProgressHook):
        done = 0

        def advance(self, n_bytes: int) -> None:
            self.done += n_bytes

    progress = Counted()
    report = ingest([shared_path(*DESIGNS)], Warehouse(tmp_path / "wh"), jobs=2, progress=progress)
    assert report.files[0].status == "ingested"
    assert progress.done == shared_path(*DESIGNS).stat().st_size
