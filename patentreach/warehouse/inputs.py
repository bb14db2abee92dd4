"""The files an ingest reads: folders expanded, zip members and gzip streams opened.

USPTO bulk files are zip archives holding one XML; each member is its own input (logged as
``archive.zip!member.xml``). Reads go through ``CountingReader``, which feeds the progress bar
with on-disk bytes and computes the sha256 of the content as it streams past.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

DATA_SUFFIXES = {".xml", ".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".parquet", ".txt"}
CONTAINER_SUFFIXES = {".zip", ".gz"}


class InputError(ValueError):
    """A path that cannot be read at all."""


@dataclass(frozen=True, slots=True)
class Input:
    path: Path
    member: str | None = None  # zip member name

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
                members = [
                    m.filename
                    for m in archive.infolist()
                    if not m.is_dir() and Path(m.filename).suffix.lower() in DATA_SUFFIXES - {".txt"}
                ]
        except zipfile.BadZipFile as exc:
            raise InputError(f"{path}: not a readable zip archive ({exc})") from None
        return [Input(path, m) for m in members]
    return [Input(path)]


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


@contextmanager
def open_content(item: Input, on_bytes: Callable[[int], None] | None = None) -> Iterator[HashingReader]:
    """The decompressed content of an input, hashed as it is read."""
    with open(item.path, "rb") as disk:
        counted = CountingReader(disk, on_bytes)
        if item.member is not None:
            with zipfile.ZipFile(counted) as archive, archive.open(item.member) as member:  # type: ignore[arg-type]
                yield HashingReader(member)  # type: ignore[arg-type]
        elif item.path.suffix.lower() == ".gz":
            with gzip.GzipFile(fileobj=counted, mode="rb") as unzipped:  # type: ignore[arg-type]
                yield HashingReader(unzipped)  # type: ignore[arg-type]
        else:
            yield HashingReader(counted)  # type: ignore[arg-type]


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
