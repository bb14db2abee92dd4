"""Google Patents Public Datasets: rows of ``patents-public-data.patents.publications``
exported as a JSON array (the console's "save as JSON"), JSON Lines (BigQuery's JSON export)
or Parquet.

Parquet needs random access to its footer and the ingest stream is not seekable (it may come out
of a zip), so a Parquet export is spooled to a temporary file on disk, in chunks, and read back one
record batch at a time: memory holds one batch of rows, whatever the file's size. A Parquet or
JSON Lines file on disk is read by the warehouse's native path instead (``native_parquet``,
``native_jsonl``: whole batches mapped by Arrow kernels, the same records).
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, ClassVar

from patentreach.sources.base import Parsed, Quarantined, Sniff, Source, Unit
from patentreach.sources.google_patents.json_records import (
    decode_record,
    json_shape,
    json_units,
    raw_of,
)
from patentreach.sources.google_patents.record import record_from_row
from patentreach.sources.native_tables import NativePlan

_PARQUET_MAGIC = b"PAR1"
_PUBLICATION_KEY = re.compile(rb'"publication_number"\s*:\s*"[A-Z]{2}-')
# Columns only the BigQuery publications table has (with publication_number).
_BIGQUERY_KEYS = re.compile(
    rb'"(assignee_harmonized|inventor_harmonized|title_localized|abstract_localized|'
    rb'family_id|priority_claim|country_code|application_kind)"\s*:'
)
_PARQUET_COLUMNS = (b"publication_number", b"assignee_harmonized", b"title_localized")
PARQUET_BATCH = 2048
SPOOL_CHUNK = 1 << 20


class GooglePatents(Source):
    name: ClassVar[str] = "google-patents"
    reader_version: ClassVar[str] = "1.1"
    description: ClassVar[str] = (
        "Google Patents Public Datasets publications rows (JSON array, JSON Lines, Parquet)"
    )

    def sniff(self, head: bytes) -> Sniff | None:
        if head.startswith(_PARQUET_MAGIC):
            # Column names live in the footer; a small file's footer is in the head.
            hits = sum(1 for c in _PARQUET_COLUMNS if c in head)
            return Sniff(0.9, "parquet") if hits >= 2 else Sniff(0.3, "parquet")
        if b'"lens_id"' in head[:8192] or not _PUBLICATION_KEY.search(head):
            return None
        if not _BIGQUERY_KEYS.search(head):
            return None
        return Sniff(0.92, "jsonl" if json_shape(head) == "lines" else "json")

    def units(self, stream: BinaryIO) -> Iterator[Unit]:
        buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[arg-type]
        if buffered.peek(4)[:4] == _PARQUET_MAGIC:
            yield from _parquet_units(buffered)
        else:
            yield from json_units(buffered)

    def native_plan(self, head: bytes, path: Path) -> NativePlan | None:
        """Parquet and JSON Lines go to the warehouse's native path (``native_parquet``,
        ``native_jsonl``); JSON arrays stay with ``units``/``parse``."""
        if head.startswith(_PARQUET_MAGIC):
            from patentreach.sources.google_patents.native_parquet import google_parquet_plan

            return google_parquet_plan(self.name, self.reader_version)
        if json_shape(head) != "lines":
            return None
        from patentreach.sources.google_patents.native_jsonl import google_jsonl_plan

        return google_jsonl_plan(self.name, self.reader_version)

    def parse(self, unit: Unit, source_file: str) -> Parsed:
        try:
            row = decode_record(unit.data, unit.line)
        except ValueError as exc:
            return Parsed(quarantined=Quarantined(
                unit.index, unit.line, [f"record {unit.index}: {exc}"],
                raw_of(unit.data)))
        record, problems = record_from_row(
            row, self.name, self.reader_version, source_file, unit.index
        )
        if record is None:
            label = row.get("publication_number") or f"record {unit.index}"
            return Parsed(quarantined=Quarantined(
                unit.index, unit.line, [f"{label}: {p}" for p in problems], raw_of(unit.data)))
        return Parsed(record=record)


def _parquet_units(stream: BinaryIO) -> Iterator[Unit]:
    """One unit per row, decoded one record batch (``PARQUET_BATCH`` rows) at a time."""
    import pyarrow.parquet as pq

    with tempfile.TemporaryFile(prefix="patentreach-parquet-") as spool:
        shutil.copyfileobj(stream, spool, SPOOL_CHUNK)
        spool.seek(0)
        index = 0
        for batch in pq.ParquetFile(spool).iter_batches(batch_size=PARQUET_BATCH):
            for row in batch.to_pylist():
                yield Unit(index, None, row)
                index += 1
