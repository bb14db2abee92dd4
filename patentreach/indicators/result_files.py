"""Write an indicator result as CSV, JSON, Parquet or Excel, its definition always included.

A figure copied into a report must not lose its counting rules: JSON carries ``definition``
beside ``rows``; Parquet keeps it as JSON in the file's schema metadata (``patentreach.definition``);
Excel gets a second sheet, ``definition``; CSV, which has no place for it, is preceded by ``#``
comment lines (``pandas.read_csv(..., comment="#")`` skips them).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from patentreach.indicators.results import IndicatorResult
from patentreach.model.spreadsheet_cells import neutralise

FILE_FORMATS = ("csv", "json", "parquet", "xlsx")
SCREEN_FORMATS = ("table", "csv", "json")


class FormatError(ValueError):
    """``--format`` and ``--out`` do not say together what to write."""


def output_format(fmt: str | None, out: Path | None) -> str:
    """The format to write: ``fmt`` when given, else the extension of ``out`` (``.csv``, ``.json``,
    ``.parquet``, ``.xlsx``), else ``table``. Never a format that writes nothing to ``out``."""
    if fmt is not None:
        fmt = fmt.lower()
        known = FILE_FORMATS if out is not None else SCREEN_FORMATS + FILE_FORMATS[2:]
        if fmt not in known:
            raise FormatError(f"--format {fmt!r} is not known; choose from {', '.join(known)}"
                              + (" (a table is only shown on screen)" if fmt == "table" else ""))
        if out is None and fmt not in SCREEN_FORMATS:
            raise FormatError(f"--format {fmt} needs --out FILE")
        return fmt
    if out is None:
        return "table"
    suffix = out.suffix.lower().lstrip(".")
    if suffix not in FILE_FORMATS:
        seen = f"the extension {out.suffix!r}" if out.suffix else "a name without extension"
        raise FormatError(f"--out {out}: cannot tell the format from {seen}; "
                          f"use .{', .'.join(FILE_FORMATS)} or give --format {', '.join(FILE_FORMATS)}")
    return suffix
METADATA_KEY = b"patentreach.definition"


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def to_json_text(result: IndicatorResult) -> str:
    return json.dumps(result.as_json(), indent=2, ensure_ascii=False, default=_plain)


def to_csv_text(result: IndicatorResult) -> str:
    buffer = io.StringIO()
    buffer.write(f"# {result.definition.get('label', '')}\n")
    buffer.write(f"# definition: {json.dumps(result.definition, ensure_ascii=False, default=_plain)}\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(c) for c in result.columns])
    writer.writerows([[neutralise(_plain(row[c])) for c in result.columns] for row in result.rows])
    return buffer.getvalue()


def to_arrow(result: IndicatorResult) -> pa.Table:
    columns = {c: [row[c] for row in result.rows] for c in result.columns}
    table = pa.table(columns) if result.rows else pa.table({c: pa.array([], pa.null()) for c in result.columns})
    definition = json.dumps(result.definition, ensure_ascii=False, default=_plain).encode()
    return table.replace_schema_metadata({METADATA_KEY: definition})


def write_result(result: IndicatorResult, fmt: str, path: Path) -> Path:
    """Write ``result`` to ``path`` in ``fmt`` (one of ``FILE_FORMATS``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        path.write_text(to_json_text(result), encoding="utf-8")
    elif fmt == "csv":
        path.write_text(to_csv_text(result), encoding="utf-8")
    elif fmt == "parquet":
        pq.write_table(to_arrow(result), path)
    elif fmt == "xlsx":
        _write_xlsx(result, path)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FILE_FORMATS)}")
    return path


def _write_xlsx(result: IndicatorResult, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    rows = book.active
    rows.title = "rows"
    rows.append([neutralise(c) for c in result.columns])
    for row in result.rows:
        rows.append([neutralise(_plain(row[c])) for c in result.columns])
    meta = book.create_sheet("definition")
    meta.append(["switch", "value"])
    for key, value in result.definition.items():
        text = value if isinstance(value, str | int | float) or value is None else json.dumps(value, default=_plain)
        meta.append([neutralise(key), neutralise(text)])
    book.save(path)


def read_definition(path: Path) -> dict[str, Any]:
    """The definition stored in a Parquet result file."""
    metadata = pq.read_schema(path).metadata or {}
    return json.loads(metadata[METADATA_KEY])
