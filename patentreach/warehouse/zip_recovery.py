"""The complete members of a zip archive that lost its end (an interrupted download or copy).

A zip's table of contents (the central directory) is at its end, so ``zipfile`` refuses a
truncated archive outright, although every member written before the cut is intact. Each member
is also preceded by a local header giving its name, method and (usually) sizes: walking those
headers from the start finds the members, and inflating one with ``zlib`` and checking its CRC
proves it complete. A short scan was chosen over a streaming-unzip dependency: only stored and
deflated members occur in patent bulk data, and this is the one place that needs it.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from patentreach.sources import limits

LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
SIGNATURE = b"PK\x03\x04"
DESCRIPTOR_SIGNATURE = b"PK\x07\x08"
STORED, DEFLATED = 0, 8
HAS_DESCRIPTOR = 0x08
ZIP64_EXTRA = 0x0001
CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class LocalMember:
    """A member found by its local header: where its data starts and what the header declares."""

    name: str
    data_offset: int
    method: int
    compressed_size: int | None  # None: given only in a data descriptor after the data
    file_size: int | None
    crc: int | None


def scan(path: Path) -> list[LocalMember]:
    """The members whose local headers can be read, in archive order (the last may be cut short)."""
    members: list[LocalMember] = []
    with open(path, "rb") as handle:
        offset = 0
        while True:
            handle.seek(offset)
            header = handle.read(LOCAL_HEADER.size)
            if len(header) < LOCAL_HEADER.size or not header.startswith(SIGNATURE):
                break
            _, _, flags, method, _, _, crc, csize, usize, name_len, extra_len = LOCAL_HEADER.unpack(header)
            name_bytes = handle.read(name_len)
            extra = handle.read(extra_len)
            if len(name_bytes) < name_len or len(extra) < extra_len:
                break
            name = name_bytes.decode("utf-8" if flags & 0x800 else "cp437", "replace")
            usize, csize = _zip64_sizes(extra, usize, csize)
            data_offset = offset + LOCAL_HEADER.size + name_len + extra_len
            if flags & HAS_DESCRIPTOR:
                end = _end_of_deflated(handle, data_offset) if method == DEFLATED else None
                members.append(LocalMember(name, data_offset, method, None, None, None))
                if end is None:
                    break
                offset = _skip_descriptor(handle, end)
            else:
                members.append(LocalMember(name, data_offset, method, csize, usize, crc))
                offset = data_offset + csize
    return members


def _zip64_sizes(extra: bytes, usize: int, csize: int) -> tuple[int, int]:
    if usize != 0xFFFFFFFF and csize != 0xFFFFFFFF:
        return usize, csize
    position = 0
    while position + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, position)
        if tag == ZIP64_EXTRA and size >= 16:
            return struct.unpack_from("<QQ", extra, position + 4)
        position += 4 + size
    return usize, csize


def _end_of_deflated(handle: BinaryIO, data_offset: int) -> int | None:
    """Where a deflated stream of unknown length ends; None if the file ends first or the stream
    is over the decompression limits (then it is the last member listed, and fails when read)."""
    bounds = limits.current()
    handle.seek(data_offset)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    fed = produced = 0
    while not inflater.eof:
        chunk = inflater.unconsumed_tail or handle.read(CHUNK)
        if not chunk:
            return None
        if not inflater.unconsumed_tail:
            fed += len(chunk)
        try:
            produced += len(inflater.decompress(chunk, CHUNK))
        except zlib.error:
            return None
        if produced > bounds.max_decompressed_bytes or (
            produced > limits.RATIO_CHECKED_AFTER_BYTES and produced > bounds.max_compression_ratio * fed
        ):
            return None
    return data_offset + fed - len(inflater.unused_data)


def _skip_descriptor(handle: BinaryIO, end: int) -> int:
    """Where the next header starts after a data descriptor: 12 or 20 bytes (32- or 64-bit sizes),
    plus 4 when it has its optional signature; the length that a header follows wins."""
    handle.seek(end)
    following = handle.read(28)
    lengths = (16, 24) if following.startswith(DESCRIPTOR_SIGNATURE) else (12, 20)
    for length in lengths:
        if following[length : length + 2] == b"PK":
            return end + length
    return end + lengths[0]


class RecoveredMember(io.RawIOBase):
    """A recovered member's content, inflated as it is read; raises ``BadZipFile`` if the data
    ends before the member does or its CRC does not match, so a cut member is never taken whole."""

    def __init__(self, archive: BinaryIO, member: LocalMember):
        if member.method not in (STORED, DEFLATED) or (member.method == STORED and member.compressed_size is None):
            raise zipfile.BadZipFile(f"member {member.name!r} cannot be recovered (compression method {member.method})")
        self.archive = archive
        self.member = member
        self.remaining = member.compressed_size
        self.inflater = zlib.decompressobj(-zlib.MAX_WBITS) if member.method == DEFLATED else None
        self.crc = 0
        self.done = False
        archive.seek(member.data_offset)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        data = self._next()
        view = memoryview(buffer).cast("B")
        n = min(len(view), len(data))
        view[:n] = data[:n]
        self._pending = data[n:]
        return n

    _pending = b""

    def _next(self) -> bytes:
        if self._pending:
            return self._pending
        while not self.done:
            if self.inflater is not None and self.inflater.unconsumed_tail:
                data = self.inflater.decompress(self.inflater.unconsumed_tail, CHUNK)
                self.crc = zlib.crc32(data, self.crc)
                if self.inflater.eof:
                    self.done = True
                    self._check_crc()
                if data:
                    return data
                continue
            want = CHUNK if self.remaining is None else min(CHUNK, self.remaining)
            chunk = self.archive.read(want) if want else b""
            if self.remaining is not None:
                self.remaining -= len(chunk)
            if self.inflater is None:
                data = chunk
                finished = self.remaining == 0
            else:  # at most CHUNK bytes out per step, so a bomb never expands in one call
                data = self.inflater.decompress(chunk, CHUNK) if chunk else self.inflater.flush(CHUNK)
                finished = self.inflater.eof
            if not chunk and not finished:
                raise zipfile.BadZipFile(f"member {self.member.name!r} is cut short (the archive is truncated)")
            self.crc = zlib.crc32(data, self.crc)
            if finished:
                self.done = True
                self._check_crc()
            if data:
                return data
        return b""

    def _check_crc(self) -> None:
        expected = self.member.crc
        if expected is None:
            descriptor = (self.inflater.unused_data if self.inflater else b"") + self.archive.read(16)
            if descriptor.startswith(DESCRIPTOR_SIGNATURE):
                descriptor = descriptor[4:]
            if len(descriptor) < 4:
                raise zipfile.BadZipFile(f"member {self.member.name!r} is cut short (the archive is truncated)")
            (expected,) = struct.unpack_from("<I", descriptor)
        if expected != self.crc:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {self.member.name!r}")
