"""Ingest a PATSTAT Global delivery: many part files, ONE ingest.

A PATSTAT delivery is a database dump split over tables and part files; a publication is only
complete with the rows of the other tables. So the parts an ``ingest`` command names (zips, CSVs,
folders) that are recognised as PATSTAT tables, by their header line, form one delivery with one
``ingest_id`` and one ingest-log entry:

* ``path``: the folder holding the parts (their common parent), ``size``: the total of the
  decompressed parts, ``sha256``: a hash over ``table:part sha256`` lines, sorted, so the same
  parts give the same identity whatever their order or container (zip or unpacked);
* crash-safe as every ingest: parts are staged under ``staging/<ingest_id>/``, moved into
  ``tables/<table>/<ingest_id>.parquet``, and the log entry is written last (``PartWriter``'s
  convention; an interrupted ingest leaves only leftovers the next run removes);
* idempotent: a delivery whose identity is committed stores nothing; when the log has an entry
  with the same path and size, the parts are only hashed, not extracted;
* one clear error line for the delivery when it cannot be read (no tls201 or tls211, an unreadable
  part, parts that disagree); the other inputs of the command are ingested on their own.

Zip members are streamed out to staging CSV files (DuckDB cannot read zip), hashed on the way
and bounded by ``limits`` (``inputs.open_content``); unpacked CSVs are read in place and only
hashed. A member whose name looks like a PATSTAT part (``tls201_...``) but whose zip cannot be
read makes the delivery fail: without it the tables would be silently incomplete.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from patentreach.model.ingest import IngestLogEntry
from patentreach.sources import limits
from patentreach.sources.detect import HEAD_BYTES
from patentreach.sources.patstat import READER_NAME, PatstatCsv
from patentreach.sources.patstat.staging import DeliveryError, TablePart
from patentreach.sources.patstat.tables import PatstatTable, header_columns, table_of_header
from patentreach.warehouse import ingest_log
from patentreach.warehouse.inputs import Input, InputError, open_content
from patentreach.warehouse.layout import Warehouse

PART_NAME = re.compile(r"^tls\d{3}_", re.IGNORECASE)
FORMAT_VERSION = "bulk-csv"
MEMORY_VARIABLE = "PATENTREACH_DUCKDB_MEMORY"

if TYPE_CHECKING:
    from patentreach.sources.patstat.delivery import DeliveryResult
    from patentreach.warehouse.ingest import FileOutcome, ProgressHook


@dataclass(frozen=True, slots=True)
class DeliveryPart:
    item: Input
    table: PatstatTable | None  # None: the part could not be read (item.problem says why)
    columns: tuple[str, ...] = ()


def split_inputs(inputs: list[Input], forced_patstat: bool) -> tuple[list[DeliveryPart], list[Input]]:
    """(PATSTAT parts, every other input). A part is recognised by its header line; with
    ``--reader patstat`` every input is taken as a part (one that is not fails the delivery)."""
    parts: list[DeliveryPart] = []
    others: list[Input] = []
    for item in inputs:
        name = Path(item.member or item.path.name).name
        if item.problem is not None:
            if forced_patstat or PART_NAME.match(name):
                parts.append(DeliveryPart(item, None))
            else:
                others.append(item)
            continue
        columns = _head_columns(item)
        table = table_of_header(columns) if columns else None
        if table is not None:
            parts.append(DeliveryPart(item, table, tuple(columns or ())))
        elif forced_patstat:
            parts.append(DeliveryPart(item, None))
        else:
            others.append(item)
    return parts, others


def _head_columns(item: Input) -> list[str] | None:
    try:
        with open_content(item) as content:
            return header_columns(content.read(HEAD_BYTES))
    except Exception:  # unreadable here: the per-file path reports it in its own words
        return None


def delivery_label(parts: list[DeliveryPart]) -> str:
    """The folder holding the parts: what the user would name the delivery by."""
    folders = {str(p.item.path.parent) for p in parts}
    return os.path.commonpath(sorted(folders)) if folders else ""


@dataclass(slots=True)
class _Hashed:
    part: DeliveryPart
    sha256: str
    size: int
    staged: Path | None  # extracted copy, or None when read in place / only hashed


def ingest_delivery(
    parts: list[DeliveryPart], warehouse: Warehouse, progress: ProgressHook, outcome_type: type[FileOutcome]
) -> FileOutcome:
    """One outcome for the whole delivery (``outcome_type`` is ``ingest.FileOutcome``, passed in so
    that this module does not import ``ingest``, which imports it)."""
    label = delivery_label(parts)
    progress.file(f"{label} (PATSTAT delivery, {len(parts)} parts)")
    started = datetime.now(UTC)
    ingest_id = uuid.uuid4().hex[:16]
    outcome = outcome_type(label, "ingested", reader=READER_NAME, format_version=FORMAT_VERSION)
    stage = warehouse.staging_dir / ingest_id
    try:
        bad = [p for p in parts if p.table is None]
        if bad:
            reasons = "; ".join(f"{p.item.label}: {p.item.problem or 'not a PATSTAT table (header not recognised)'}"
                                for p in bad[:3])
            raise DeliveryError(f"{len(bad)} part(s) cannot be read: {reasons}")
        entries = ingest_log.read_entries(warehouse)
        committed = {e["sha256"] for e in entries}
        size = _declared_size(parts)
        if size is not None and any(e["path"] == label and e["size"] == size for e in entries):
            hashed = [_hash(p, None, progress) for p in parts]
            if _identity(hashed) in committed:
                outcome.status = "already-ingested"
                ingest_log.clear_failures(warehouse, label)
                return outcome
        stage.mkdir(parents=True, exist_ok=True)
        hashed = [_hash(p, stage / "csv" / f"{i:05d}.csv", progress) for i, p in enumerate(parts)]
        sha = _identity(hashed)
        if sha in committed:
            shutil.rmtree(stage, ignore_errors=True)
            outcome.status = "already-ingested"
            ingest_log.clear_failures(warehouse, label)
            return outcome
        progress.file(f"{label} (PATSTAT delivery: mapping the tables with DuckDB)")
        result = _read(hashed, stage, ingest_id)
        outcome.read, outcome.stored = result.read, result.stored
        outcome.quarantined, outcome.skipped = result.quarantined, result.skipped
        outcome.notes.extend(f"{label}: {note}" for note in result.notes)
        outcome.warnings.extend(result.warnings)
        _commit(warehouse, stage, ingest_id, IngestLogEntry(
            ingest_id=ingest_id, path=label, size=sum(h.size for h in hashed), sha256=sha, reader=READER_NAME,
            reader_version=PatstatCsv.reader_version, read=result.read, stored=result.stored,
            quarantined=result.quarantined, skipped=result.skipped, warnings=result.warning_rows,
            started_at=started, finished_at=datetime.now(UTC),
        ))
        ingest_log.clear_failures(warehouse, label)
        return outcome
    except Exception as exc:
        shutil.rmtree(stage, ignore_errors=True)
        return _failed(warehouse, label, outcome_type, exc, ingest_id, started)


def _hash(part: DeliveryPart, target: Path | None, progress: ProgressHook) -> _Hashed:
    """Stream a part once: hash it and, when ``target`` is given and the part is not a plain
    file DuckDB can read in place, copy it there."""
    item = part.item
    in_place = item.member is None and item.recovered is None and item.path.suffix.lower() != ".gz"
    copy_to = None if (target is None or in_place) else target
    if copy_to is not None:
        copy_to.parent.mkdir(parents=True, exist_ok=True)
    with open_content(item, progress.advance) as content:
        sink = open(copy_to, "wb") if copy_to is not None else None  # noqa: SIM115 - closed below
        try:
            while chunk := content.read(1 << 20):
                if sink is not None:
                    sink.write(chunk)
        finally:
            if sink is not None:
                sink.close()
        return _Hashed(part, content.sha256.hexdigest(), content.size, copy_to)


def _identity(hashed: list[_Hashed]) -> str:
    lines = sorted(f"{h.part.table.name if h.part.table else '?'}:{h.sha256}" for h in hashed)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _declared_size(parts: list[DeliveryPart]) -> int | None:
    """Total decompressed size from the zip headers / file sizes, without reading (None: unknown)."""
    import zipfile

    total = 0
    try:
        for part in parts:
            item = part.item
            if item.recovered is not None:
                total += item.recovered.file_size
            elif item.member is not None:
                with zipfile.ZipFile(item.path) as archive:
                    total += archive.getinfo(item.member).file_size
            elif item.path.suffix.lower() == ".gz":
                return None
            else:
                total += item.disk_size
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    return total


def _read(hashed: list[_Hashed], stage: Path, ingest_id: str) -> DeliveryResult:
    from patentreach.sources.patstat.delivery import read_delivery

    by_table: dict[str, list[TablePart]] = {}
    for h in hashed:
        assert h.part.table is not None
        path = h.staged or h.part.item.path
        by_table.setdefault(h.part.table.name, []).append(
            TablePart(path, h.part.item.label, list(h.part.columns), temporary=h.staged is not None)
        )
    for table_parts in by_table.values():
        table_parts.sort(key=lambda p: p.label)
    return read_delivery(
        by_table,
        stage / "work",
        stage / "parts",
        ingest_id,
        PatstatCsv.reader_version,
        memory_limit=os.environ.get(MEMORY_VARIABLE) or None,
    )


def _commit(warehouse: Warehouse, stage: Path, ingest_id: str, entry: IngestLogEntry) -> None:
    """Move the staged tables into place, then write the log entry that makes them visible; a
    failure withdraws what was moved."""
    if entry.read != entry.stored + entry.quarantined + entry.skipped:
        raise AssertionError(f"counts do not add up: {entry}")
    moved: list[Path] = []
    try:
        for part in sorted((stage / "parts").glob("*.parquet")):
            with open(part, "rb") as handle:
                os.fsync(handle.fileno())
            target_dir = warehouse.table_dir(part.stem)
            target_dir.mkdir(parents=True, exist_ok=True)
            target = target_dir / f"{ingest_id}.parquet"
            os.replace(part, target)
            moved.append(target)
        ingest_log.write_entry(warehouse, entry, format_version=FORMAT_VERSION)
    except OSError:
        for target in moved:
            target.unlink(missing_ok=True)
        raise
    shutil.rmtree(stage, ignore_errors=True)


def _failed(
    warehouse: Warehouse,
    label: str,
    outcome_type: type[FileOutcome],
    exc: Exception,
    ingest_id: str,
    started: datetime,
) -> FileOutcome:
    if isinstance(exc, DeliveryError | InputError | limits.LimitExceeded):
        reason = str(exc)
    elif isinstance(exc, OSError):
        reason = f"cannot be read or written ({exc.strerror or exc})"
    else:
        reason = f"{type(exc).__name__}: {exc}"
    error = " ".join(f"{label} (PATSTAT delivery): {reason}".split())[:400]
    ingest_log.write_failure(warehouse, ingest_log.FailedIngest(
        ingest_id=ingest_id, path=label, reader=READER_NAME, read_before_failure=0, error=error,
        started_at=started, finished_at=datetime.now(UTC),
    ))
    return outcome_type(label, "error", reader=READER_NAME, format_version=FORMAT_VERSION, error=error)
