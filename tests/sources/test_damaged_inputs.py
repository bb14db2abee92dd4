"""Every reader survives damaged copies of its own real samples, with exact accounting.

Each real sample (``samples.SAMPLES``) is damaged the ways files arrive damaged: cut in half,
a byte order mark put in front, bytes flipped in the middle, garbage appended, emptied, invalid
UTF-8 or a NUL byte put in the middle, line ends turned into CRLF. Whatever happens, no
exception escapes a reader or the ingest; a file either yields records that add up (read =
stored + quarantined + skipped) or fails with ONE line naming it; a byte order mark or CRLF
line ends change nothing that is stored.

The reader-level test runs every sample; the warehouse-level test ingests each reader's first
sample (an ingest costs a warehouse; the readers are the same code). The 3,779-row Lens export is
used through its first 500 rows (cut at a record boundary), to keep the suite well under a minute.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from patentreach.sources import source_named
from patentreach.sources.base import Source
from patentreach.warehouse import Warehouse
from patentreach.warehouse.ingest import FileOutcome, ingest
from tests.conftest import shared_path
from tests.sources.samples import SAMPLES


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _flip_middle(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes(b ^ 0xFF for b in data[middle : middle + 16]) + data[middle + 16 :]


def _at_middle(insert: bytes) -> Callable[[bytes], bytes]:
    def damage(data: bytes) -> bytes:
        middle = len(data) // 2
        return data[:middle] + insert + data[middle:]

    return damage


def _crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


DAMAGES: dict[str, Callable[[bytes], bytes]] = {
    "truncated-at-half": _half,
    "bom-prepended": lambda data: b"\xef\xbb\xbf" + data,
    "bytes-flipped-in-the-middle": _flip_middle,
    "garbage-appended": lambda data: data + b"\x00\x01garbage<<{[\"\n\xff\xfe]]}",
    "empty": lambda data: b"",
    "invalid-utf8-in-the-middle": _at_middle(b"\xc3\x28\xff"),
    "nul-in-the-middle": _at_middle(b"\x00"),
    "crlf-line-ends": _crlf,
}
SAME_STORED = ("bom-prepended", "crlf-line-ends")
ALL_SAMPLES = [(name, path) for name, paths in SAMPLES.items() for path in paths]
FIRST_SAMPLES = [(name, paths[0]) for name, paths in SAMPLES.items()]


LONG_SAMPLE_ROWS = 500


@cache
def _sample_bytes(sample: str) -> bytes:
    """The real sample; a CSV of more than ``LONG_SAMPLE_ROWS`` rows is cut after that many."""
    data = shared_path("data", sample).read_bytes()
    if not sample.endswith(".csv"):
        return data
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    for _ in range(LONG_SAMPLE_ROWS + 1):
        next(reader, None)
    lines = reader.line_num
    return b"".join(data.splitlines(keepends=True)[:lines])


def _read(source: Source, data: bytes) -> tuple[int, int, int, int]:
    """(read, stored, quarantined, skipped) of ``data`` read by ``source`` outside the warehouse."""
    read = stored = quarantined = skipped = 0
    for unit in source.units(io.BufferedReader(io.BytesIO(data))):  # type: ignore[arg-type]
        parsed = source.parse(unit, "damaged")
        read += 1
        outcomes = (parsed.stores, parsed.quarantined is not None, parsed.skipped is not None)
        assert sum(outcomes) == 1
        stored, quarantined, skipped = stored + outcomes[0], quarantined + outcomes[1], skipped + outcomes[2]
        if parsed.quarantined is not None:
            assert parsed.quarantined.reasons and all("\n" not in r for r in parsed.quarantined.reasons)
    return read, stored, quarantined, skipped


@pytest.mark.parametrize("damage", list(DAMAGES))
@pytest.mark.parametrize(("reader", "sample"), ALL_SAMPLES, ids=[p for _, p in ALL_SAMPLES])
def test_reader_accounts_for_every_record_of_a_damaged_sample(reader: str, sample: str, damage: str) -> None:
    source = source_named(reader)
    original = _sample_bytes(sample)
    try:
        read, stored, quarantined, skipped = _read(source, DAMAGES[damage](original))
    except ValueError as exc:  # a file-level refusal, which the ingest reports as one line
        assert damage not in SAME_STORED, f"{damage} must not make the file unreadable: {exc}"
        assert "\n" not in str(exc)
        return
    assert read == stored + quarantined + skipped
    if damage in SAME_STORED:
        assert stored == _undamaged_stored(reader, sample)


@cache
def _undamaged_stored(reader: str, sample: str) -> int:
    return _read(source_named(reader), _sample_bytes(sample))[1]


@pytest.fixture(scope="module")
def undamaged_stored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    stored: dict[str, int] = {}
    for _, sample in FIRST_SAMPLES:
        root = tmp_path_factory.mktemp("undamaged")
        path = root / Path(sample).name
        path.write_bytes(_sample_bytes(sample))
        stored[sample] = ingest([path], Warehouse(root / "wh")).files[0].stored
    return stored


@pytest.mark.parametrize("damage", list(DAMAGES))
@pytest.mark.parametrize(("reader", "sample"), FIRST_SAMPLES, ids=[p for _, p in FIRST_SAMPLES])
def test_ingest_of_a_damaged_sample_stores_what_adds_up_or_fails_in_one_line(
    reader: str, sample: str, damage: str, tmp_path: Path, undamaged_stored: dict[str, int]
) -> None:
    damaged = tmp_path / Path(sample).name
    damaged.write_bytes(DAMAGES[damage](_sample_bytes(sample)))
    outcome: FileOutcome = ingest([damaged], Warehouse(tmp_path / "wh")).files[0]
    if damage == "empty":
        assert outcome.status == "error"
        assert outcome.error == f"{damaged}: empty (no content to read)"  # said by the ingest, before detection
    elif outcome.status == "error":
        assert damage not in SAME_STORED
        assert outcome.error is not None and outcome.error.startswith(f"{damaged}: ") and "\n" not in outcome.error
    else:
        assert outcome.status == "ingested"
        assert outcome.read == outcome.stored + outcome.quarantined + outcome.skipped
    if damage in SAME_STORED:
        assert (outcome.status, outcome.reader, outcome.stored) == ("ingested", reader, undamaged_stored[sample])
