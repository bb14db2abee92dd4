"""The bounds every input is read within, in one place: a user ingesting a year of weekly files
must never have to babysit a run because one file is hostile or broken.

Each limit has a default sized well above what real bulk data needs (the largest real USPTO
grant document is a few tens of MB, real XML compresses 5-20:1) and can be lifted for one run:

* on the command line: ``patentreach ingest --limit max_document_mb=1024 ...``;
* in the environment: ``PATENTREACH_LIMITS="max_document_mb=1024,max_compression_ratio=500"``.

Readers and the warehouse call ``current()``; worker processes inherit the values (the
environment variable is set by ``configure`` so that spawned workers see it too). A record that
exceeds a limit is quarantined with the limit's name in its reason; an input that exceeds a
per-input limit (decompressed size or ratio, records per file) stops reading there and fails as a
whole with ``LimitExceeded``: nothing of it is committed, so re-running with the limit lifted
ingests it cleanly.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import asdict, dataclass, fields, replace

ENVIRONMENT_VARIABLE = "PATENTREACH_LIMITS"
MB = 1024 * 1024
RATIO_CHECKED_AFTER_BYTES = 64 * MB
"""The compression ratio is judged only past this much output: small inputs (a header, a table of
repeated codes) compress far better than any limit and are harmless."""


@dataclass(frozen=True, slots=True)
class Limits:
    max_document_mb: int = 256
    """Largest single document or record (one XML document of a weekly file, one JSON record)."""
    max_decompressed_gb: int = 64
    """Largest decompressed content of one input (a zip member or a .gz stream)."""
    max_compression_ratio: int = 200
    """Decompressed bytes per compressed byte, checked once 64 MB have been decompressed."""
    max_nesting_depth: int = 256
    """Deepest nesting of JSON arrays/objects (XML depth is bounded by libxml2 at 256)."""
    max_records_per_file: int = 50_000_000
    """Most records (documents, rows, JSON records) read from one input."""

    @property
    def max_document_bytes(self) -> int:
        return self.max_document_mb * MB

    @property
    def max_decompressed_bytes(self) -> int:
        return self.max_decompressed_gb * 1024 * MB

    def as_text(self) -> str:
        return ",".join(f"{k}={v}" for k, v in asdict(self).items())


class LimitError(ValueError):
    """A limit setting that does not parse (unknown name or non-positive number)."""


class LimitExceeded(ValueError):
    """An input went past a limit; the message names the limit and how to lift it."""

    def __init__(self, name: str, value: int | str, what: str):
        super().__init__(f"{what}: over the limit {name}={value} (lift it with --limit {name}=N)")
        self.limit = name


_NAMES = {f.name for f in fields(Limits)}
_current: Limits | None = None


def parse(text: str, base: Limits | None = None) -> Limits:
    """``"name=value,name=value"`` applied over ``base`` (default: the defaults)."""
    values: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, raw = item.partition("=")
        name = name.strip()
        if name not in _NAMES:
            close = difflib.get_close_matches(name, sorted(_NAMES), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise LimitError(f"unknown limit {name!r}{hint} (limits: {', '.join(sorted(_NAMES))})")
        try:
            value = int(raw)
        except ValueError:
            raise LimitError(f"limit {name}: {raw.strip()!r} is not a whole number") from None
        if value <= 0:
            raise LimitError(f"limit {name}: must be positive, got {value}")
        values[name] = value
    return replace(base or Limits(), **values)


def current() -> Limits:
    """The limits in force: set by ``configure``, else from the environment, else the defaults."""
    global _current
    if _current is None:
        _current = parse(os.environ.get(ENVIRONMENT_VARIABLE, ""))
    return _current


def configure(limits: Limits) -> None:
    """Put ``limits`` in force for this process and the worker processes it starts."""
    global _current
    _current = limits
    os.environ[ENVIRONMENT_VARIABLE] = limits.as_text()
