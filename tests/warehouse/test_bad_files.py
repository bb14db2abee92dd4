"""One bad file never stops a batch: each file and archive member succeeds or fails on its own,
with one line naming it, nothing of it committed, the others ingested, and exit status 1.

The good files are real samples; the bad ones are made from them (truncated, corrupted)."""

from __future__ import annotations

import errno
import gzip
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.warehouse import Warehouse, connect, ingest_log
from tests.conftest import shared_path

runner = CliRunner(env={"COLUMNS": "200"})
GRANTS = ("data", "uspto-grant-xml")


def _good_a() -> Path:
    return shared_path(*GRANTS, "ipgb-biblio", "ipgb20230404.xml")  # 3 grants


def _good_c() -> Path:
    return shared_path(*GRANTS, "single-docs", "go-uspto_v4-5-B1_US09358892.xml")  # 1 grant


def _weekly() -> Path:
    return shared_path(*GRANTS, "ipg-weekly-samples", "ipg060103.small.xml")  # 27 read, 25 stored, 2 skipped


def _ingest(warehouse: Warehouse, *paths: Path | str, options: tuple[str, ...] = ()):
    return runner.invoke(app, ["ingest", *map(str, paths), "--warehouse", str(warehouse.root), *options])


def _errors(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error:")]


def _logged(warehouse: Warehouse) -> list[tuple]:
    """Committed files: name, read, stored, quarantined, skipped."""
    rows = connect(warehouse).execute("SELECT path, read, stored, quarantined, skipped FROM ingest_log").fetchall()
    return sorted((Path(path).name, *counts) for path, *counts in rows)


def _failures(warehouse: Warehouse) -> list[tuple[str, str]]:
    return [(Path(f["path"]).name, f["error"]) for f in ingest_log.read_failures(warehouse)]


@pytest.fixture()
def warehouse(tmp_path: Path) -> Warehouse:
    return Warehouse(tmp_path / "wh")


def test_an_empty_and_a_two_byte_gz_between_good_files_fail_alone(warehouse, tmp_path):
    empty = tmp_path / "empty.xml.gz"
    empty.write_bytes(b"")
    stub = tmp_path / "stub.xml.gz"
    stub.write_bytes(b"\x1f\x8b")
    result = _ingest(warehouse, _good_a(), empty, stub, _good_c())
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert _errors(result) == [
        f"error: {empty}: empty (no content to read)",
        f"error: {stub}: cannot be read (Compressed file ended before the end-of-stream marker was reached)",
    ]
    assert _logged(warehouse) == [("go-uspto_v4-5-B1_US09358892.xml", 1, 1, 0, 0), ("ipgb20230404.xml", 3, 3, 0, 0)]
    assert [name for name, _ in _failures(warehouse)] == ["empty.xml.gz", "stub.xml.gz"]
    assert re.search(r"stub\.xml\.gz\s+│\s+│ error\s+│\s+0 │\s+0 │\s+0 │\s+0 │", result.output)
    assert re.search(r"4 files\s+│\s+│\s+│\s+4 │\s+4 │\s+0 │\s+0 │", result.output)


def test_a_bad_file_in_the_middle_of_a_batch_does_not_stop_the_files_after_it(warehouse, tmp_path):
    """The reported case: ``ingest a b c`` with b broken stopped at b with a traceback; c was never
    read. Here b is a real weekly file, gzipped and cut in half (an interrupted download)."""
    whole = gzip.compress(_weekly().read_bytes())
    cut = tmp_path / "b.xml.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    result = _ingest(warehouse, _good_a(), cut, _good_c())
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert _errors(result) == [
        f"error: {cut}: cannot be read (Compressed file ended before the end-of-stream marker was reached)"
    ]
    assert _logged(warehouse) == [("go-uspto_v4-5-B1_US09358892.xml", 1, 1, 0, 0), ("ipgb20230404.xml", 3, 3, 0, 0)]


def test_a_zip_member_failing_its_crc_fails_alone_and_the_other_member_is_ingested(warehouse, tmp_path):
    archive = tmp_path / "week.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as z:
        z.write(_good_a(), "ipgb20230404.xml")
        z.write(_good_c(), "US09358892.xml")
    data = bytearray(archive.read_bytes())
    first = data.find(b"<us-patent-grant")
    data[first + 1] = ord("U")  # one flipped byte inside the first member: its CRC no longer matches
    archive.write_bytes(bytes(data))
    result = _ingest(warehouse, archive)
    assert result.exit_code == 1
    assert _errors(result) == [
        f"error: {archive}!ipgb20230404.xml: cannot be read (Bad CRC-32 for file 'ipgb20230404.xml')"
    ]
    assert _logged(warehouse) == [("week.zip!US09358892.xml", 1, 1, 0, 0)]
    # Nothing of the failed member was committed: running again retries it (and fails again).
    again = _ingest(warehouse, archive)
    assert again.exit_code == 1
    assert re.search(r"week\.zip!US09358892\.xml\s+│ uspto-grant-xml │ already-ingested", again.output)
    assert connect(warehouse).execute("SELECT count(*) FROM publications").fetchone() == (1,)


def test_a_truncated_zip_still_yields_its_complete_members(warehouse, tmp_path):
    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.write(_weekly(), "ipg060103.xml")
        z.write(_good_a(), "ipgb20230404.xml")
        z.write(_good_c(), "US09358892.xml")
    with zipfile.ZipFile(whole) as z:
        third = z.getinfo("US09358892.xml")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[: third.header_offset + 100])  # inside the third member
    result = _ingest(warehouse, cut)
    assert result.exit_code == 1
    assert _errors(result) == [
        f"error: {cut}!US09358892.xml: cannot be read (member 'US09358892.xml' is cut short (the archive is truncated))"
    ]
    assert _logged(warehouse) == [("cut.zip!ipg060103.xml", 27, 25, 0, 2), ("cut.zip!ipgb20230404.xml", 3, 3, 0, 0)]
    assert f"note: {cut}!ipgb20230404.xml: recovered from a zip archive without its central directory (truncated?)" in (
        result.output.splitlines()
    )


def test_a_file_that_is_no_zip_at_all_is_one_error_and_the_rest_is_ingested(warehouse, tmp_path):
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"not a zip archive at all")
    result = _ingest(warehouse, fake, _good_c())
    assert result.exit_code == 1
    assert _errors(result) == [f"error: {fake}: not a readable zip archive (File is not a zip file)"]
    assert _logged(warehouse) == [("go-uspto_v4-5-B1_US09358892.xml", 1, 1, 0, 0)]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_reader_raising_on_a_record_fails_that_file_naming_the_record(warehouse, monkeypatch, jobs):
    from patentreach.sources.uspto_grant import UsptoGrantXml

    original = UsptoGrantXml.parse

    def buggy(self, unit, source_file):
        if unit.index == 1 and "ipgb20230404" in source_file:
            raise RuntimeError("unexpected element")
        return original(self, unit, source_file)

    monkeypatch.setattr(UsptoGrantXml, "parse", buggy)  # worker processes are forked after this
    result = _ingest(warehouse, _good_a(), _good_c(), options=("--jobs", jobs))
    assert result.exit_code == 1
    assert _errors(result) == [
        f"error: {_good_a()}: record 1 (line 875): the uspto-grant-xml reader failed: RuntimeError: unexpected element"
    ]
    assert _logged(warehouse) == [("go-uspto_v4-5-B1_US09358892.xml", 1, 1, 0, 0)]
    assert not any(warehouse.staging_dir.iterdir())


def test_disk_full_while_writing_parts_fails_that_file_and_leaves_nothing_of_it(warehouse, monkeypatch):
    from patentreach.warehouse.part_writer import PartWriter

    original = PartWriter.finish

    calls = {"n": 0}

    def finish(self):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(self)

    monkeypatch.setattr(PartWriter, "finish", finish)
    result = _ingest(warehouse, _good_c(), _good_a(), _weekly())
    assert result.exit_code == 1
    assert _errors(result) == [
        f"error: {_good_a()}: cannot write to the warehouse (No space left on device);"
        " none of the 3 records read was stored"
    ]
    assert _logged(warehouse) == [
        ("go-uspto_v4-5-B1_US09358892.xml", 1, 1, 0, 0),
        ("ipg060103.small.xml", 27, 25, 0, 2),
    ]
    assert not any(warehouse.staging_dir.iterdir())
    parts = {p.stem for p in (warehouse.root / "tables").glob("*/*.parquet")}
    assert parts == ingest_log.committed_ids(warehouse)
    [failure] = ingest_log.read_failures(warehouse)
    assert (failure["path"], failure["reader"], failure["read_before_failure"]) == (
        str(_good_a()),
        "uspto-grant-xml",
        3,
    )


def test_disk_full_while_committing_withdraws_the_parts_already_moved(warehouse, monkeypatch):
    original = ingest_log.write_entry

    def write_entry(target, entry, format_version):
        if entry.path == str(_good_a()):
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(target, entry, format_version)

    monkeypatch.setattr(ingest_log, "write_entry", write_entry)
    result = _ingest(warehouse, _good_a(), _good_c())
    assert result.exit_code == 1
    assert _errors(result) == [
        f"error: {_good_a()}: cannot write to the warehouse (No space left on device);"
        " none of the 3 records read was stored"
    ]
    parts = {p.stem for p in (warehouse.root / "tables").glob("*/*.parquet")}
    assert parts == ingest_log.committed_ids(warehouse)
    assert len(parts) == 1


def test_a_read_only_warehouse_is_one_line_naming_the_directory_exit_2(warehouse, monkeypatch):
    from patentreach.warehouse import lock

    def read_only(path, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    warehouse.create()
    monkeypatch.setattr(lock, "open", read_only, raising=False)
    result = _ingest(warehouse, _good_a())
    assert result.exit_code == 2
    assert _errors(result) == [f"error: {warehouse.root}: cannot write to the warehouse (Read-only file system)"]
    assert "Traceback" not in result.output


def test_a_warehouse_locked_by_another_writer_is_one_line_exit_2(warehouse):
    from patentreach.warehouse.lock import exclusive

    with exclusive(warehouse, busy="harmonisation is running"):
        result = _ingest(warehouse, _good_a())
    assert result.exit_code == 2
    assert _errors(result) == [f"error: {warehouse.root}: another ingest or harmonisation is running"]


def test_a_failed_file_is_retried_and_its_failure_entry_cleared_once_it_is_ingested(warehouse, tmp_path):
    later = tmp_path / "later.xml"
    later.write_bytes(b"")
    assert _ingest(warehouse, later).exit_code == 1
    assert _failures(warehouse) == [("later.xml", f"{later}: empty (no content to read)")]
    assert _logged(warehouse) == []
    view = connect(warehouse).execute("SELECT path, read_before_failure, error FROM ingest_failures").fetchall()
    assert view == [(str(later), 0, f"{later}: empty (no content to read)")]
    info = runner.invoke(app, ["info", "-w", str(warehouse.root), "-f", "csv"])
    assert f"{later},,0,{later}: empty (no content to read)," in info.output
    shutil.copyfile(_good_c(), later)
    assert _ingest(warehouse, later).exit_code == 0
    assert _failures(warehouse) == []
    assert _logged(warehouse) == [("later.xml", 1, 1, 0, 0)]


def test_reader_option_forces_a_reader_and_format_is_a_deprecated_alias(warehouse):
    forced = _ingest(warehouse, _good_c(), options=("--reader", "uspto-grant-xml"))
    assert forced.exit_code == 0
    old = _ingest(Warehouse(warehouse.root.with_name("old")), _good_c(), options=("--format", "uspto-grant-xml"))
    assert old.exit_code == 0
    assert "note: --format is deprecated for ingest; use --reader (it names the reader to force)" in old.output


def test_an_unknown_reader_is_exit_2_with_the_closest_name(warehouse):
    result = _ingest(warehouse, _good_c(), options=("--reader", "uspto-grant"))
    assert result.exit_code == 2
    assert len(_errors(result)) == 1
    assert _errors(result)[0].startswith(
        "error: no reader named 'uspto-grant'; did you mean uspto-grant-xml? (readers: patentsview-tsv, "
    )
    assert not warehouse.root.exists()


class _Unseekable(io.RawIOBase):
    """A pipe-like target: ``zipfile`` then writes the sizes after each member (data descriptors)."""

    def __init__(self, target):
        self.target = target

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return self.target.write(data)


def test_a_truncated_streamed_zip_with_data_descriptors_still_yields_its_complete_members(warehouse, tmp_path):
    whole = tmp_path / "streamed.zip"
    with open(whole, "wb") as handle, zipfile.ZipFile(_Unseekable(handle), "w", zipfile.ZIP_DEFLATED) as z:
        z.write(_good_a(), "ipgb20230404.xml")
        z.write(_good_c(), "US09358892.xml")
    data = whole.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: data.index(b"PK\x01\x02")])  # the whole central directory is lost
    result = _ingest(warehouse, cut)
    assert result.exit_code == 0, result.output
    assert _logged(warehouse) == [("cut.zip!US09358892.xml", 1, 1, 0, 0), ("cut.zip!ipgb20230404.xml", 3, 3, 0, 0)]


def test_a_reader_raising_while_splitting_fails_that_file_naming_the_record(warehouse, monkeypatch):
    from patentreach.sources.concatenated_xml import split_documents
    from patentreach.sources.uspto_grant import UsptoGrantXml

    def units(self, stream):
        yield from split_documents(stream)  # the file's documents, then a reader bug
        raise KeyError("sequence")

    monkeypatch.setattr(UsptoGrantXml, "units", units)
    result = _ingest(warehouse, _good_a(), _good_c())
    assert result.exit_code == 1
    assert _errors(result) == [
        f"error: {_good_a()}: record 3: the uspto-grant-xml reader failed while splitting: KeyError: 'sequence'",
        f"error: {_good_c()}: record 1: the uspto-grant-xml reader failed while splitting: KeyError: 'sequence'",
    ]
    assert _logged(warehouse) == []
