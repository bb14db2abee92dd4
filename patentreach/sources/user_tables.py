"""Checks on the tables people hand us (survey frames and answers, portfolios, export lists, fee
files) before any parser sees them, shared by ``survey`` and ``protect``.

Such files are saved from Excel, statistics packages or Kobo: a CSV saved as "ANSI", a workbook
renamed to .csv, a truncated download, a zip bomb renamed .xlsx. Each must end in one sentence,
never in a decoder's traceback. The functions here say what is wrong *without* the file name;
each caller puts the name in front in its own style (survey: the path; protect: the file name).
"""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

from patentreach.sources import limits

_CHUNK = 1 << 20
RATIO_CHECKED_FROM = 64 * limits.MB
"""The compression ratio is judged only past this many unpacked bytes (small files vary a lot)."""


class UnreadableTable(ValueError):
    """The file cannot be a table; the message says why, without the file name."""


def check_text(path: Path) -> bool:
    """Refuse a binary (NUL byte) or non-UTF-8 text file, reading it once as a stream (a UTF-8
    BOM is fine); returns True when the file holds only white space."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    seen = 0
    line = 1
    blank = True
    with Path(path).open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            nul = chunk.find(b"\0")
            if nul >= 0:
                raise UnreadableTable(f"a binary file (NUL byte at byte {seen + nul}), not CSV text")
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                start = max(exc.start, 0)
                line += chunk[:start].count(b"\n")
                raise UnreadableTable(
                    f"line {line}: not UTF-8 text (byte {seen + start}); save the file as 'CSV UTF-8'"
                ) from None
            blank = blank and not text.strip()
            line += chunk.count(b"\n")
            seen += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise UnreadableTable(f"line {line}: not UTF-8 text (the file ends inside a character)") from None
    return blank


def check_workbook_archive(path: Path) -> None:
    """Refuse an empty file, a file that is not a zip archive, or one whose declared unpacked size
    or compression ratio breaks :mod:`patentreach.sources.limits` (before openpyxl inflates it)."""
    if Path(path).stat().st_size == 0:
        raise UnreadableTable("the file is empty (a header row is needed)")
    if not zipfile.is_zipfile(path):
        raise UnreadableTable("not an .xlsx workbook (not a zip archive); save it as Excel .xlsx or CSV")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableTable(f"not a readable .xlsx workbook ({exc})") from None
    bounds = limits.current()
    unpacked = sum(member.file_size for member in members)
    packed = max(sum(member.compress_size for member in members), 1)
    if unpacked > bounds.max_decompressed_bytes:
        raise UnreadableTable(f"unpacks to {unpacked:,} bytes, over the limit max_decompressed_gb="
                              f"{bounds.max_decompressed_gb} (lift it with PATENTREACH_LIMITS)")
    if unpacked > RATIO_CHECKED_FROM and unpacked / packed > bounds.max_compression_ratio:
        raise UnreadableTable(f"compressed {unpacked // packed}:1, over the limit max_compression_ratio="
                              f"{bounds.max_compression_ratio} (lift it with PATENTREACH_LIMITS)")
