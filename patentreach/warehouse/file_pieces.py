"""Cut a concatenated XML file into one piece per worker without reading it first.

``--jobs N`` used to have the main process read the whole file (to cut it at ``<?xml``
declarations and count the record index and line each range starts at) before or while the
workers parsed: a serial pass over every byte. Here the cuts come from the file's size alone:
piece ``k`` holds the documents whose declaration *starts* in ``[hint_k, hint_k+1)``, where the
hints are fixed fractions of the size. Whoever needs a cut finds it by itself (``first_declaration``:
the first ``<?xml`` at or after the hint), so a worker and the main process agree on it without
talking, a declaration straddling a hint belongs to the piece it starts in, and a piece with no
declaration (one huge document across it) is empty.

What a worker cannot know by itself is how many documents and lines come before its piece. It
learns that from a ``scan`` of the pieces before it (counting declarations and newlines, about 20x
cheaper than parsing them); piece 0 needs none and is parsed at once, and is made a little larger
(``SCAN_SHARE``) since its worker does no scan. The cut rule is the splitter's own
(``concatenated_xml.split_documents`` cuts at every ``<?xml``, wherever it is: a declaration
quoted in a comment or CDATA is cut alike by one job and by N), so the units of the pieces, with the
counted index and line, are exactly the units of the whole file.
"""

from __future__ import annotations

import mmap
from dataclasses import dataclass

from patentreach.sources.concatenated_xml import DECLARATION

SCAN_SHARE = 0.08  # a scan costs about this fraction of parsing the same bytes
COUNT_BLOCK = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PieceScan:
    """What a scan of one piece found: its exact bounds and what it holds."""

    number: int
    start: int
    end: int
    units: int  # declarations starting in [start, end): one unit each
    newlines: int  # in [start, end)


def hints(size: int, pieces: int, scan_share: float = SCAN_SHARE) -> list[int]:
    """Where each piece's search for its first declaration starts (``pieces + 1`` offsets, the
    first 0, the last ``size``); piece 0 weighs ``1 + scan_share``, the others 1."""
    weights = [1.0 + scan_share] + [1.0] * (pieces - 1)
    total = sum(weights)
    out, acc = [0], 0.0
    for weight in weights[:-1]:
        acc += weight
        out.append(min(size, round(size * acc / total)))
    out.append(size)
    return out


def first_declaration(view: mmap.mmap | bytes, at: int) -> int:
    """The offset of the first ``<?xml`` starting at or after ``at`` (the end when none).

    Offset 0 is always a cut: the content starts with a declaration (after blank space, which
    belongs to the first document) whenever it is read in pieces."""
    if at <= 0:
        return 0
    found = view.find(DECLARATION, at)
    return len(view) if found < 0 else found


def bounds(view: mmap.mmap | bytes, cut_hints: list[int], number: int) -> tuple[int, int]:
    """The exact ``[start, end)`` of piece ``number``."""
    return first_declaration(view, cut_hints[number]), first_declaration(view, cut_hints[number + 1])


def scan(path: str, cut_hints: list[int], number: int) -> PieceScan:
    """Runs in a worker: count the declarations and newlines of piece ``number``."""
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
        start, end = bounds(view, cut_hints, number)
        return PieceScan(number, start, end, count_declarations(view, start, end), count_newlines(view, start, end))


def count_declarations(view: mmap.mmap | bytes, start: int, end: int) -> int:
    """Declarations starting in ``[start, end)`` (whole: ``end`` is a cut or the end), a block
    at a time; a declaration is counted in the block it starts in."""
    count = 0
    for low in range(start, end, COUNT_BLOCK):
        high = min(end, low + COUNT_BLOCK)
        at = low
        while (at := view.find(DECLARATION, at, min(end, high + len(DECLARATION) - 1))) >= 0:
            count += 1
            at += len(DECLARATION)
        release(view, low, high)
    return count


def count_newlines(view: mmap.mmap | bytes, start: int, end: int) -> int:
    """Newline bytes in ``[start, end)``, counted by numpy on the mapped pages (no copy)."""
    import numpy as np

    total = 0
    for low in range(start, end, COUNT_BLOCK):
        high = min(end, low + COUNT_BLOCK)
        block = np.frombuffer(view, np.uint8, high - low, low)
        total += int(np.count_nonzero(block == 10))
        del block  # the mapping cannot close while numpy holds it
        release(view, low, high)
    return total


def release(view: mmap.mmap | bytes, low: int, high: int) -> None:
    """Drop the mapped pages of ``[low, high)`` from this process (they stay in the page cache),
    so that its resident memory stays flat however large the file is."""
    if isinstance(view, mmap.mmap) and high > low:
        aligned = low - low % mmap.PAGESIZE
        view.madvise(mmap.MADV_DONTNEED, aligned, high - aligned)
