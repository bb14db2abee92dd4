"""Records about ingesting rather than about patents: quarantined items and the ingest log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

QUARANTINE_RAW_LIMIT = 64 * 1024


@dataclass(slots=True)
class QuarantineEntry:
    """A record that could not be stored, kept with the reason so nothing is silently lost."""

    source_file: str
    record_index: int
    line: int | None
    reason: str
    raw: str
    source_format: str = ""


@dataclass(slots=True)
class IngestWarning:
    """Something a reader repaired or noticed in a record it still stored (or skipped), e.g. a
    DOCDB fragment whose missing namespace declaration was restored."""

    source_file: str
    record_index: int
    message: str


@dataclass(slots=True)
class IngestLogEntry:
    """One ingested file; written last, so its presence is what commits the file's rows."""

    ingest_id: str
    path: str
    size: int
    sha256: str
    reader: str
    reader_version: str
    read: int
    stored: int
    quarantined: int
    skipped: int
    warnings: int
    started_at: datetime
    finished_at: datetime
