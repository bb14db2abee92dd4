"""The file on disk behind an ingest stream, so that ``g_patent.tsv`` can find its siblings.

The ``Source.units`` face receives only a stream. The warehouse wraps the opened file in a few
readers (progress counting, hashing, peeking, buffering), each keeping the one it wraps in
``raw`` (or ``fileobj`` for gzip); following them leads back to the file object and its name.
A zip member has no folder of siblings on disk, so the search stops there.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

_WRAPPED = ("raw", "fileobj", "buffer", "_fileobj")


def stream_path(stream: object, depth: int = 10) -> Path | None:
    seen: set[int] = set()
    current = stream
    for _ in range(depth):
        if current is None or id(current) in seen or isinstance(current, zipfile.ZipExtFile):
            return None
        seen.add(id(current))
        name = getattr(current, "name", None)
        if isinstance(name, str) and name and Path(name).is_file():
            return Path(name).resolve()
        current = next((getattr(current, a) for a in _WRAPPED if getattr(current, a, None) is not None), None)
    return None
