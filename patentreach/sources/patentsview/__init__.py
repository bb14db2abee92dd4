"""PatentsView bulk TSV: legacy ``patent.tsv`` and the current ``g_*`` tables.

PatentsView is relational, so which rows are publications depends on the table (recognised from
the header, see ``tables``):

* legacy ``patent`` and current ``g_patent`` rows are publications (withdrawn patents are
  skipped: they were never issued);
* ``g_patent`` is the unit of ingest for the current tables: its reader joins the sibling
  tables in the same folder (``g_siblings``), so their files, read on their own, are skipped row
  by row with a reason saying where their data went;
* legacy ``assignee`` rows (id, type, organization) have no patent link and are skipped; the
  harmonisation work can use them as a name/type reference (docs/sources/vendors.md);
* ``uspatentcitation`` and other tables with a ``patent_id`` column are skipped (out of model).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, ClassVar

from patentreach.sources.base import Parsed, Quarantined, Skipped, Sniff, Source, Unit
from patentreach.sources.byte_order_mark import UTF8_BOM
from patentreach.sources.csv_records import csv_records, header_line
from patentreach.sources.native_tables import NativePlan
from patentreach.sources.patentsview.g_patent import record_from_g
from patentreach.sources.patentsview.g_siblings import SiblingIndex, batched
from patentreach.sources.patentsview.legacy_patent import record_from_legacy
from patentreach.sources.patentsview.native import plan_for
from patentreach.sources.patentsview.native_g import g_patent_plan
from patentreach.sources.patentsview.stream_origin import stream_path
from patentreach.sources.patentsview.tables import OTHER, SIBLINGS, Table, identify

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # abstracts exceed the 128 KB default

SKIP_REASONS = {
    "assignee": "assignee reference row without patent link (legacy assignee table: id {id}, "
                "type {type}); kept out of publications, see docs/sources/vendors.md",
    "uspatentcitation": "citation row (patent {patent_id} cites {citation_id}): citations are "
                        "not in the model",
    "g_location_disambiguated": "g_location_disambiguated row {location_id}: joined into "
                                "assignees and inventors when g_patent.tsv is read",
    OTHER: "PatentsView table not mapped to the model (columns: {columns})",
}


class PatentsViewTsv(Source):
    name: ClassVar[str] = "patentsview-tsv"
    reader_version: ClassVar[str] = "1.0"
    description: ClassVar[str] = "PatentsView bulk TSV (legacy patent/assignee/citation, g_* tables)"

    def sniff(self, head: bytes) -> Sniff | None:
        first = head.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff")
        table = identify(first)
        if table is None:
            return None
        return Sniff(0.6 if table.name == OTHER else 0.9, f"{table.generation}:{table.name}")

    def native_plan(self, head: bytes, path: Path) -> NativePlan | None:
        """Tables mapped by SQL a batch at a time: legacy patent, g_patent with its siblings beside
        ``path`` (``native``, ``native_g``), and the tables whose rows are all skipped."""
        first = head.split(b"\n", 1)[0].removeprefix(UTF8_BOM).decode("utf-8", "replace")
        table = identify(first)
        if table is not None and table.name == "g_patent":
            return g_patent_plan(table.columns, path, self.name, self.reader_version)
        return plan_for(table, self.name, self.reader_version) if table is not None else None

    def units(self, stream: BinaryIO) -> Iterator[Unit]:
        _, first = header_line(stream)
        table = identify(first)
        if table is None:
            raise ValueError("the first line is not a PatentsView table header")
        rows = _rows(stream, table)
        if table.name == "g_patent":
            yield from _g_patent_units(rows, stream)
            return
        keep_row = table.name in ("patent",) or table.name in (OTHER,)
        for index, line, row, error in rows:
            data: dict = {"table": table.name, "row": row if keep_row or error else _key(row)}
            if error:
                data["error"] = error
            if table.name == OTHER:
                data["columns"] = ", ".join(table.columns[:6])
            yield Unit(index, line, data)

    def parse(self, unit: Unit, source_file: str) -> Parsed:
        data = unit.data
        assert isinstance(data, dict)
        table, row = data["table"], data["row"]
        label = f"{table} row {unit.index + 1} (line {unit.line})"
        if data.get("error"):
            return _quarantine(unit, [f"{label}: {data['error']}"], row)
        if table in ("patent", "g_patent") and str(row.get("withdrawn") or "").strip() in ("1", "1.0"):
            number = row.get("number") or row.get("patent_id")
            return Parsed(skipped=Skipped(unit.index, f"patent {number}: withdrawn (withdrawn=1), "
                                                      "never issued"))
        if table == "patent":
            record, problems = record_from_legacy(
                row, self.name, self.reader_version, source_file, unit.index)
            warnings: list[str] = []
        elif table == "g_patent":
            record, problems = record_from_g(
                row, data.get("siblings") or {}, self.name, self.reader_version, source_file,
                unit.index)
            warnings = list(data.get("notes") or [])
        else:
            return Parsed(skipped=Skipped(unit.index, _skip_reason(table, row, data)))
        if record is None:
            number = row.get("number") or row.get("patent_id") or "?"
            return _quarantine(unit, [f"{label}, patent {number}: {p}" for p in problems], row)
        return Parsed(record=record, warnings=warnings)


def _rows(stream: BinaryIO, table: Table) -> Iterator[tuple[int, int, dict, str | None]]:
    """(index, first line, row dict, error) for every data row; the header was line 1. Rows are
    cut by ``csv_records``: a runaway quote, invalid UTF-8 or a NUL byte costs only its row."""
    width = len(table.columns)
    for record in csv_records(stream, first_line=2, delimiter="\t", columns=table.columns):
        values, error = record.values, record.error
        if error is None and len(values) != width:
            error = f"row: {len(values)} values for {width} columns"
        yield record.index, record.line, dict(zip(table.columns, values, strict=False)), error


def _key(row: dict) -> dict:
    """The few columns a skip reason names (skipped rows need not cross to workers whole)."""
    keys = ("id", "type", "patent_id", "citation_id", "location_id")
    return {k: row[k] for k in keys if k in row}


def _skip_reason(table: str, row: dict, data: dict) -> str:
    if table in SIBLINGS:
        return (f"{table} row for patent {row.get('patent_id')}: joined into its patent when "
                "g_patent.tsv in the same folder is read")
    template = SKIP_REASONS.get(table, SKIP_REASONS[OTHER])
    values = {**{k: "?" for k in ("id", "type", "patent_id", "citation_id", "location_id")},
              **row, "columns": data.get("columns", "")}
    return template.format(**values)


def _quarantine(unit: Unit, reasons: list[str], row: object) -> Parsed:
    raw = "\t".join(str(v) for v in row.values()) if isinstance(row, dict) else str(row)
    return Parsed(quarantined=Quarantined(unit.index, unit.line, reasons, raw))


def _g_patent_units(rows: Iterator[tuple[int, int, dict, str | None]], stream: BinaryIO) -> Iterator[Unit]:
    """g_patent rows with their sibling lists, joined a batch at a time (see ``g_siblings``)."""
    path = stream_path(stream)
    index = SiblingIndex(path.parent) if path is not None else None
    notes = (
        [f"g_patent: sibling tables not found beside it: {', '.join(index.missing)}"]
        if index is not None and index.missing
        else [] if index is not None
        else ["g_patent: not read from a folder on disk, so no sibling tables were joined"]
    )
    try:
        for batch in batched(rows):
            found = index.lookup([row.get("patent_id", "") for _, _, row, _ in batch]) if index else {}
            for n, line, row, error in batch:
                data: dict = {"table": "g_patent", "row": row,
                              "siblings": found.get(row.get("patent_id", ""), {})}
                if error:
                    data["error"] = error
                if n == 0 and notes:
                    data["notes"] = notes
                yield Unit(n, line, data)
    finally:
        if index is not None:
            index.close()
