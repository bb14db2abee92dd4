"""Lens.org patent data: the web app's CSV export (``lens-csv``) and Patent API JSON
(``lens-json``: a response page ``{"total", "data": [...]}`` or a JSON Lines bulk export).

The two describe the same documents with different columns, so they are two readers sharing
the value parsers in ``lens_values`` and the applicant-kind rule in ``party_kinds``. A CSV row's
"Owners (US)" history is also stored as transfer records (``owner_history``). A CSV export on disk
is read a batch at a time by Arrow (``native_csv``, issue 20); the rows that need judging go
through ``LensCsv.parse`` as before.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, ClassVar

from patentreach.sources.base import Parsed, Quarantined, Sniff, Source, Unit
from patentreach.sources.byte_order_mark import UTF8_BOM
from patentreach.sources.csv_records import csv_records, header_line
from patentreach.sources.google_patents.json_records import (
    decode_record,
    json_shape,
    json_units,
    raw_of,
)
from patentreach.sources.lens.api_json import record_from_api
from patentreach.sources.lens.csv_export import record_from_row
from patentreach.sources.lens.legal_status import lens_status_events
from patentreach.sources.lens.owner_history import owner_transfers
from patentreach.sources.native_tables import NativePlan

# The export's header; column order varies with the user's choice, so look for key columns.
_CSV_COLUMNS = ("Jurisdiction", "Publication Number", "Lens ID", "Kind")
_LENS_ID = re.compile(rb'"lens_id"\s*:\s*"\d{3}-\d{3}-\d{3}-\d{3}-\d{2}[\dX]"')
_LENS_ID_TEXT = re.compile(r"\b\d{3}-\d{3}-\d{3}-\d{3}-\d{2}[\dX]\b")
_LENS_BIBLIO = re.compile(rb'"(biblio|doc_key|jurisdiction)"\s*:')


class LensCsv(Source):
    name: ClassVar[str] = "lens-csv"
    reader_version: ClassVar[str] = "1.1"
    description: ClassVar[str] = "Lens.org patent search CSV export"

    def sniff(self, head: bytes) -> Sniff | None:
        first = head.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff")
        try:
            columns = next(csv.reader([first.rstrip("\r")]), [])
        except csv.Error:  # bytes that are not a CSV line (a stray carriage return, ...)
            return None
        if all(c in columns for c in _CSV_COLUMNS):
            return Sniff(0.95, "csv")
        return None

    def native_plan(self, head: bytes, path: Path) -> NativePlan | None:
        """Rows mapped by SQL a batch at a time (``native_csv``); the header is read as ``units``
        reads it, and a header that ``units`` would not accept stays with ``units``."""
        first, newline, _ = head.partition(b"\n")
        if not newline:
            return None
        try:
            header = next(csv.reader([first.removeprefix(UTF8_BOM).decode("utf-8").rstrip("\r\n")]), None)
        except (csv.Error, UnicodeDecodeError):
            return None
        if not header or len(set(header)) != len(header):
            return None
        from patentreach.sources.lens.native_csv import lens_csv_plan

        try:
            size = path.stat().st_size
        except OSError:
            return None
        return lens_csv_plan(header, self.name, self.reader_version, size)

    def units(self, stream: BinaryIO) -> Iterator[Unit]:
        """One unit per data row (a dict of column -> text); quoted fields may span lines, and
        ``csv_records`` bounds them, so a damaged row costs only itself (see there). Each unit
        keeps the line its row starts on."""
        _, first = header_line(stream)
        try:
            header = next(csv.reader([first.rstrip("\r\n")]), None)
        except csv.Error:
            header = None
        if not header:
            return
        for record in csv_records(stream, first_line=2, delimiter=",", columns=header):
            values = record.values
            row = dict(zip(header, values, strict=False))
            if record.error is not None:
                lens_id = _LENS_ID_TEXT.search(record.raw)
                row = {"__error__": record.error, "__raw__": record.raw, "Lens ID": lens_id.group(0) if lens_id else ""}
            elif len(values) != len(header):
                row["__columns__"] = f"{len(values)} values for {len(header)} columns"
            yield Unit(record.index, record.line, row)

    def parse(self, unit: Unit, source_file: str) -> Parsed:
        row = unit.data
        assert isinstance(row, dict)
        label = _row_label(unit, row)
        if "__error__" in row:
            return Parsed(quarantined=Quarantined(unit.index, unit.line, [f"{label}: {row['__error__']}"],
                                                  row["__raw__"]))
        if "__columns__" in row:
            return Parsed(quarantined=Quarantined(
                unit.index, unit.line, [f"{label}: row: {row['__columns__']}"], raw_of(row)))
        record, problems, warnings = record_from_row(
            row, self.name, self.reader_version, source_file, unit.index
        )
        if record is None:
            return Parsed(quarantined=Quarantined(
                unit.index, unit.line, [f"{label}: {p}" for p in problems], raw_of(row)))
        transfers = owner_transfers(row, record.publication, row.get("Lens ID") or f"row{unit.index + 1}")
        return Parsed(record=record, warnings=warnings, transfers=transfers)


def _row_label(unit: Unit, row: dict) -> str:
    lens_id = row.get("Lens ID") or "no Lens ID"
    return f"row {unit.index + 1} (line {unit.line}, Lens ID {lens_id})"


class LensJson(Source):
    name: ClassVar[str] = "lens-json"
    reader_version: ClassVar[str] = "1.0"
    description: ClassVar[str] = "Lens.org Patent API JSON (response pages or JSON Lines export)"

    def sniff(self, head: bytes) -> Sniff | None:
        if not _LENS_ID.search(head) or not _LENS_BIBLIO.search(head):
            return None
        return Sniff(0.93, "jsonl" if json_shape(head, "data") == "lines" else "api-response")

    def units(self, stream: BinaryIO) -> Iterator[Unit]:
        return json_units(stream, records_key="data")

    def parse(self, unit: Unit, source_file: str) -> Parsed:
        try:
            doc = decode_record(unit.data, unit.line)
        except ValueError as exc:
            return Parsed(quarantined=Quarantined(
                unit.index, unit.line, [f"record {unit.index}: {exc}"],
                raw_of(unit.data)))
        record, problems, warnings = record_from_api(
            doc, self.name, self.reader_version, source_file, unit.index
        )
        if record is None:
            label = f"record {unit.index} (lens_id {doc.get('lens_id') or 'missing'})"
            return Parsed(quarantined=Quarantined(
                unit.index, unit.line, [f"{label}: {p}" for p in problems], raw_of(unit.data)))
        events = lens_status_events(doc, source_file, unit.index, self.reader_version, self.name)
        return Parsed(record=record, warnings=warnings, legal_events=events)
