"""The files an ingest reads: folders expanded, zip members and gzip streams opened.

USPTO bulk files are zip archives holding one XML; each member is its own input (logged as
``archive.zip!member.xml``) and succeeds or fails on its own. Reads go through ``CountingReader``,
which feeds the progress bar with on-disk bytes; ``HashingReader`` computes the sha256 of the
content as it streams past.

Containers are bounded (``limits``): a zip member whose declared size or ratio is over the limits
is refused before it is read, and every decompressed stream is counted as it is read, so a
compression bomb stops within the limit whatever its headers claim. A zip without its central
directory (truncated) still yields its complete members, found by their local headers.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from patentreach.sources import limits
from patentreach.warehouse.zip_recovery import LocalMember, RecoveredMember, scan

DATA_SUFFIXES = {".xml", ".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".parquet", ".txt"}
CONTAINER_SUFFIXES = {".zip", ".gz"}
PATSTAT_PART_NAME = re.compile(r"^tls\d{3}_.*\.txt$", re.IGNORECASE)


class InputError(ValueError):
    """A path that cannot be read at all."""


@dataclass(frozen=True, slots=True)
class Input:
    path: Path
    member: str | None = None  # zip member name
    recovered: LocalMember | None = None  # a member of a truncated zip, found by its local header
    problem: str | None = None  # why the input cannot be read at all, found while listing it

    @property
    def label(self) -> str:
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    @property
    def disk_size(self) -> int:
        return self.path.stat().st_size


def expand(paths: list[Path]) -> list[Input]:
    """Files named explicitly are always tried; folders contribute files with data suffixes."""
    out: list[Input] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.name.startswith("."):
                    continue
                if child.suffix.lower() in DATA_SUFFIXES | CONTAINER_SUFFIXES:
                    out.extend(_inputs_of(child))
        elif path.exists():
            out.extend(_inputs_of(path))
        else:
            raise InputError(f"{path}: no such file or directory")
    return out


def _inputs_of(path: Path) -> list[Input]:
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                return [Input(path, m.filename) for m in archive.infolist() if _is_data_member(m.filename)]
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            try:
                recovered = [m for m in scan(path) if _is_data_member(m.name)]
            except OSError:
                recovered = []
            if recovered:
                return [Input(path, m.name, recovered=m) for m in recovered]
            return [Input(path, problem=f"not a readable zip archive ({exc})")]
    return [Input(path)]


def _is_data_member(name: str) -> bool:
    """Data suffixes; ``.txt`` members only when named like a PATSTAT part (``tls201_part01.txt``,
    the editions before 2020 Spring): other ``.txt`` members of bulk zips are read-me files."""
    if name.endswith("/"):
        return False
    suffix = Path(name).suffix.lower()
    if suffix == ".txt":
        return PATSTAT_PART_NAME.match(Path(name).name) is not None
    return suffix in DATA_SUFFIXES


class CountingReader:
    """Wraps a binary stream: counts bytes for progress and hashes what is read."""

    def __init__(self, raw: BinaryIO, on_bytes: Callable[[int], None] | None = None):
        self.raw = raw
        self.on_bytes = on_bytes
        self.count = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.count += len(data)
        if self.on_bytes and data:
            self.on_bytes(len(data))
        return data

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        n = self.raw.readinto(buffer)
        self.count += n or 0
        if self.on_bytes and n:
            self.on_bytes(n)
        return n

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self.raw.seekable()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.raw.seek(offset, whence)

    def tell(self) -> int:
        return self.raw.tell()

    def close(self) -> None:
        self.raw.close()


class HashingReader:
    """Wraps the decompressed content stream and computes its sha256 on the way."""

    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.sha256.update(data)
        self.size += len(data)
        return data

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.raw.close()


class BoundedReader:
    """Wraps a decompressed stream: stops it with ``LimitExceeded`` once it is larger than
    ``max_bytes`` or, past ``ratio_after`` bytes, more than ``max_ratio`` times the compressed
    bytes read so far. Checked on every read, so memory and time stay within the limits."""

    def __init__(
        self,
        raw: BinaryIO,
        compressed: CountingReader,
        max_bytes: int,
        max_ratio: int,
        ratio_after: int = limits.RATIO_CHECKED_AFTER_BYTES,
    ):
        self.raw = raw
        self.compressed = compressed
        self.max_bytes = max_bytes
        self.max_ratio = max_ratio
        self.ratio_after = ratio_after
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:  # whole stream: still in checked steps
            return b"".join(iter(lambda: self.read(1 << 20), b""))
        data = self.raw.read(n)
        self.size += len(data)
        if self.size > self.max_bytes:
            raise limits.LimitExceeded(
                "max_decompressed_gb",
                f"{self.max_bytes / (1024 * limits.MB):g}",
                f"decompressed content passed {self.max_bytes:,} bytes",
            )
        if self.size > self.ratio_after and self.size > self.max_ratio * max(self.compressed.count, 1):
            raise limits.LimitExceeded(
                "max_compression_ratio",
                self.max_ratio,
                f"{self.size:,} bytes decompressed from {self.compressed.count:,} (a compression bomb?)",
            )
        return data

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.raw.close()


@contextmanager
def open_content(item: Input, on_bytes: Callable[[int], None] | None = None) -> Iterator[HashingReader]:
    """The decompressed content of an input, hashed as it is read, within the limits."""
    if item.problem is not None:
        raise InputError(item.problem)
    bounds = limits.current()
    with open(item.path, "rb") as disk:
        counted = CountingReader(disk, on_bytes)

        def bounded(stream: BinaryIO) -> HashingReader:
            return HashingReader(
                BoundedReader(stream, counted, bounds.max_decompressed_bytes, bounds.max_compression_ratio)  # type: ignore[arg-type]
            )

        if item.recovered is not None:
            _check_declared(item.recovered.file_size, item.recovered.compressed_size, bounds)
            yield bounded(io.BufferedReader(RecoveredMember(counted, item.recovered)))  # type: ignore[arg-type]
        elif item.member is not None:
            with zipfile.ZipFile(counted) as archive:  # type: ignore[arg-type]
                info = archive.getinfo(item.member)
                _check_declared(info.file_size, info.compress_size, bounds)
                with archive.open(info) as member:
                    yield bounded(member)  # type: ignore[arg-type]
        elif item.path.suffix.lower() == ".gz":
            with gzip.GzipFile(fileobj=counted, mode="rb") as unzipped:  # type: ignore[arg-type]
                yield bounded(unzipped)  # type: ignore[arg-type]
        else:
            yield HashingReader(counted)  # type: ignore[arg-type]


def _check_declared(file_size: int | None, compressed_size: int | None, bounds: limits.Limits) -> None:
    """Refuse a zip member up front when its header already says it is over the limits."""
    if file_size is None:
        return
    if file_size > bounds.max_decompressed_bytes:
        raise limits.LimitExceeded(
            "max_decompressed_gb", bounds.max_decompressed_gb, f"the member declares {file_size:,} bytes"
        )
    if file_size > limits.RATIO_CHECKED_AFTER_BYTES and file_size > bounds.max_compression_ratio * max(
        compressed_size or 0, 1
    ):
        raise limits.LimitExceeded(
            "max_compression_ratio",
            bounds.max_compression_ratio,
            f"the member declares {file_size:,} bytes compressed into {compressed_size:,} (a compression bomb?)",
        )


def content_sha256(item: Input) -> str:
    with open_content(item) as stream:
        while stream.read(1 << 20):
            pass
        return stream.sha256.hexdigest()


class PeekableRaw(io.RawIOBase):
    """The first bytes of a stream for sniffing, then the whole stream from the start.

    Readers receive it wrapped in ``io.BufferedReader`` (see ``buffered``), so they can use
    ``read``, ``readline`` or ``io.TextIOWrapper`` on it; it is not seekable.
    """

    def __init__(self, raw: HashingReader, head_size: int):
        self.raw = raw
        self.head = raw.read(head_size)
        self._pending = memoryview(self.head)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        view = memoryview(buffer).cast("B")
        if len(self._pending):
            n = min(len(view), len(self._pending))
            view[:n] = self._pending[:n]
            self._pending = self._pending[n:]
            return n
        data = self.raw.read(len(view))
        view[: len(data)] = data
        return len(data)


def buffered(raw: PeekableRaw) -> io.BufferedReader:
    return io.BufferedReader(raw, buffer_size=1 << 20)
