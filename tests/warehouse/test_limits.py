"""Every input is bounded in time and memory (``sources/limits.py``): compression bombs and
runaway documents are stopped within seconds with flat memory, named by the limit they broke,
and the accounting read = stored + quarantined + skipped still holds.

The bombs are generated here, small on disk: a real USPTO header followed by hundreds of MB of
spaces, the shape of the reported case (2.2 MB zip, 2.3 GB of spaces: 300 s and 2.5 GB before)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.sources import limits
from patentreach.sources.base import Quarantined
from patentreach.sources.concatenated_xml import split_documents
from patentreach.warehouse import Warehouse, connect, ingest_log
from patentreach.warehouse.inputs import BoundedReader, CountingReader
from tests.conftest import shared_path
from tests.warehouse.conftest import peak_rss_increase

runner = CliRunner(env={"COLUMNS": "200"})
MB = 1024 * 1024
SPACES = b" " * (8 * MB)
GRANTS = ("data", "uspto-grant-xml")


def _grants() -> bytes:
    return shared_path(*GRANTS, "ipgb-biblio", "ipgb20230404.xml").read_bytes()  # 3 grants


def _header() -> bytes:
    """The opening of a real grant document, up to its bibliographic data."""
    first = _grants()
    return first[: first.index(b"<us-bibliographic-data-grant")]


def _gzip_member(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    return packer.compress(data) + packer.flush()


def _gzip_bomb(path: Path, spaces_mb: int, before: bytes = b"", after: bytes = b"") -> Path:
    """``before`` + a header + ``spaces_mb`` MB of spaces + ``after``, gzipped as concatenated
    members (one compressed block of spaces repeated), so that it is made in a fraction of a second."""
    spaces = _gzip_member(SPACES)
    with open(path, "wb") as out:
        out.write(_gzip_member(before + _header()))
        for _ in range(spaces_mb // 8):
            out.write(spaces)
        out.write(_gzip_member(after))
    return path


def _ingest(warehouse: Warehouse, *paths: Path, options: tuple[str, ...] = ()):
    return runner.invoke(app, ["ingest", *map(str, paths), "--warehouse", str(warehouse.root), *options])


def _errors(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error:")]


@pytest.fixture()
def warehouse(tmp_path: Path) -> Warehouse:
    return Warehouse(tmp_path / "wh")


def test_a_gzip_bomb_is_stopped_by_the_default_ratio_within_seconds_and_flat_memory(warehouse, tmp_path):
    bomb = _gzip_bomb(tmp_path / "ipg-bomb.xml.gz", spaces_mb=600)
    assert bomb.stat().st_size < 1 * MB
    good = shared_path(*GRANTS, "single-docs", "go-uspto_v4-5-B1_US09358892.xml")
    result, grown, seconds = peak_rss_increase(lambda: _ingest(warehouse, bomb, good))
    assert result.exit_code == 1
    [line] = _errors(result)
    assert line.startswith(f"error: {bomb}: ")
    assert line.endswith(
        "(a compression bomb?): over the limit max_compression_ratio=200"
        " (lift it with --limit max_compression_ratio=N)"
    )
    assert seconds < 30, "stopped at 64 MB decompressed, not after 600 MB"
    assert grown < 200 * MB  # the reported case reached 2.5 GB
    assert connect(warehouse).execute("SELECT count(*) FROM ingest_log").fetchone() == (1,)  # the good file


def test_a_zip_bomb_is_refused_from_its_declared_sizes_before_it_is_read(warehouse, tmp_path):
    bomb = tmp_path / "ipg-bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive, archive.open(
        "ipg-bomb.xml", "w", force_zip64=True
    ) as member:
        member.write(_header())
        for _ in range(80 // 8):
            member.write(SPACES)
    assert bomb.stat().st_size < 1 * MB
    result, grown, seconds = peak_rss_increase(lambda: _ingest(warehouse, bomb))
    assert result.exit_code == 1
    [line] = _errors(result)
    assert line.startswith(f"error: {bomb}!ipg-bomb.xml: the member declares 83,886,")
    assert line.endswith("over the limit max_compression_ratio=200 (lift it with --limit max_compression_ratio=N)")
    assert seconds < 10
    assert grown < 50 * MB


def test_an_oversized_document_is_quarantined_by_name_and_the_documents_around_it_stored(warehouse, tmp_path):
    """Low limits through ``--limit``: documents over 1 MB are skipped without being held."""
    grants = _grants()
    second = grants.index(b"<?xml", 10)
    bomb = _gzip_bomb(tmp_path / "ipg-padded.xml.gz", spaces_mb=200, before=grants[:second], after=grants[second:])
    options = ("--limit", "max_document_mb=1", "--limit", "max_compression_ratio=100000")
    result, grown, seconds = peak_rss_increase(lambda: _ingest(warehouse, bomb, options=options))
    assert result.exit_code == 0, result.output
    assert connect(warehouse).execute(
        "SELECT read, stored, quarantined, skipped FROM ingest_log"
    ).fetchone() == (4, 3, 1, 0)
    row = connect(warehouse).execute("SELECT record_index, line, reason, length(raw) FROM quarantine").fetchone()
    assert row == (
        1,
        875,
        f"document of {len(_header()) + 200 * MB:,} bytes is larger than the limit max_document_mb=1"
        " (lift it with --limit max_document_mb=N)",
        64 * 1024,  # the first 64 KB are kept, as for every quarantined record
    )
    assert grown < 64 * MB
    assert seconds < 60


def test_a_file_with_more_records_than_the_limit_fails_whole_and_is_ingested_once_lifted(warehouse):
    three = shared_path(*GRANTS, "ipgb-biblio", "ipgb20230404.xml")
    capped = _ingest(warehouse, three, options=("--limit", "max_records_per_file=2"))
    assert capped.exit_code == 1
    assert _errors(capped) == [
        f"error: {three}: more than 2 records: over the limit max_records_per_file=2"
        " (lift it with --limit max_records_per_file=N)"
    ]
    assert connect(warehouse).execute("SELECT count(*) FROM ingest_log").fetchone() == (0,)
    assert [f["path"] for f in ingest_log.read_failures(warehouse)] == [str(three)]
    limits.configure(limits.Limits())
    lifted = _ingest(warehouse, three)
    assert lifted.exit_code == 0
    assert connect(warehouse).execute("SELECT read, stored FROM ingest_log").fetchone() == (3, 3)
    assert ingest_log.read_failures(warehouse) == []


def test_a_zip_member_declaring_more_than_the_decompressed_limit_is_refused(warehouse, tmp_path):
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.xml", _grants())
    data = bytearray(archive.read_bytes())
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 3 * 1024 * MB)  # claims 3 GB uncompressed
    archive.write_bytes(bytes(data))
    result = _ingest(warehouse, archive, options=("--limit", "max_decompressed_gb=1"))
    assert result.exit_code == 1
    assert _errors(result) == [
        f"error: {archive}!big.xml: the member declares 3,221,225,472 bytes: over the limit max_decompressed_gb=1"
        " (lift it with --limit max_decompressed_gb=N)"
    ]


def test_the_decompressed_size_is_counted_as_it_is_read_whatever_the_headers_say():
    packed = io.BytesIO(b"x" * 1000)
    counted = CountingReader(packed)
    reader = BoundedReader(counted, counted, max_bytes=600, max_ratio=10**6)
    assert len(reader.read(500)) == 500
    with pytest.raises(limits.LimitExceeded, match=r"passed 600 bytes: over the limit max_decompressed_gb="):
        reader.read(500)


def test_the_splitter_skips_an_oversized_document_without_holding_it():
    grants = _grants()
    second = grants.index(b"<?xml", 10)
    stream = io.BytesIO(grants[:second] + _header() + b" \n" * 300_000 + grants[second:])
    units = list(split_documents(stream, block_size=4096, max_document_bytes=100_000))
    assert [(u.index, u.line, type(u.data).__name__) for u in units] == [
        (0, 1, "bytes"),
        (1, 875, "Quarantined"),
        (2, 875 + _header().count(b"\n") + 300_000, "bytes"),
        (3, units[3].line, "bytes"),
    ]
    marker = units[1].data
    assert isinstance(marker, Quarantined)
    assert marker.raw == (_header() + b" \n" * 300_000)[: 64 * 1024]
    assert units[2].data == grants[second : grants.index(b"<?xml", second + 10)]


def test_limits_come_from_the_environment_and_a_bad_setting_is_exit_2(warehouse, monkeypatch):
    monkeypatch.setenv(limits.ENVIRONMENT_VARIABLE, "max_document_mb=7,max_records_per_file=9")
    monkeypatch.setattr(limits, "_current", None)
    assert (limits.current().max_document_mb, limits.current().max_records_per_file) == (7, 9)
    good = shared_path(*GRANTS, "single-docs", "go-uspto_v4-5-B1_US09358892.xml")
    typo = _ingest(warehouse, good, options=("--limit", "max_document=5"))
    assert typo.exit_code == 2
    assert _errors(typo) == [
        "error: --limit: unknown limit 'max_document'; did you mean max_document_mb? (limits: max_compression_ratio,"
        " max_decompressed_gb, max_document_mb, max_nesting_depth, max_records_per_file)"
    ]
    negative = _ingest(warehouse, good, options=("--limit", "max_document_mb=0"))
    assert negative.exit_code == 2
    assert _errors(negative) == ["error: --limit: limit max_document_mb: must be positive, got 0"]


class _Unseekable(io.RawIOBase):
    def __init__(self, target):
        self.target = target

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return self.target.write(data)


def test_a_bomb_in_a_truncated_streamed_zip_is_stopped_by_the_ratio_while_recovering(warehouse, tmp_path):
    """No declared sizes to check (data descriptors) and no central directory: the recovery scan
    and the read both stop at the limit instead of inflating everything."""
    streamed = tmp_path / "streamed.zip"
    with (
        open(streamed, "wb") as handle,
        zipfile.ZipFile(_Unseekable(handle), "w", zipfile.ZIP_DEFLATED) as z,
        z.open("ipg-bomb.xml", "w") as member,
    ):
        member.write(_header())
        for _ in range(96 // 8):
            member.write(SPACES)
    cut = tmp_path / "cut.zip"
    data = streamed.read_bytes()
    cut.write_bytes(data[: data.index(b"PK\x01\x02")])
    result, grown, seconds = peak_rss_increase(lambda: _ingest(warehouse, cut))
    assert result.exit_code == 1
    [line] = _errors(result)
    assert line.startswith(f"error: {cut}!ipg-bomb.xml: ")
    assert line.endswith("over the limit max_compression_ratio=200 (lift it with --limit max_compression_ratio=N)")
    assert seconds < 30
    assert grown < 200 * MB
