"""A gap report as the bytes of a file: JSON, the routes as CSV, the deadlines as iCalendar, or
the XLSX workbook. One writer for every face: ``protect gaps --format`` and the web's downloads
give the same bytes for the same report."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from patentreach.model.spreadsheet_cells import neutralise_rows
from patentreach.protect import report_data
from patentreach.protect.calendar_export import deadline_calendar
from patentreach.protect.gap_report import GapReport
from patentreach.protect.workbook import write_workbook

FILE_FORMATS = ("json", "csv", "ics", "xlsx")


def routes_csv(report: GapReport) -> bytes:
    """The routes table, one row per gap and route, formula-like cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(report_data.ROUTE_COLUMNS)
    writer.writerows(neutralise_rows(["" if value is None else value for value in row]
                                     for row in report_data.route_rows(report)))
    return buffer.getvalue().encode("utf-8")


def report_bytes(report: GapReport, fmt: str) -> bytes:
    """``report`` written as ``fmt`` (one of ``FILE_FORMATS``)."""
    if fmt == "json":
        return json.dumps(report_data.report_dict(report), indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    if fmt == "ics":
        return deadline_calendar(report)
    if fmt == "csv":
        return routes_csv(report)
    if fmt == "xlsx":
        with tempfile.TemporaryDirectory(prefix="patentreach-gaps-") as folder:
            path = Path(folder) / "gaps.xlsx"
            write_workbook(report, path)
            return path.read_bytes()
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FILE_FORMATS)}")
