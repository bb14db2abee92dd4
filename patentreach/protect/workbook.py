"""The report as an Excel workbook: one sheet per part (summary, next deadlines, coverage, gaps,
routes, risks, renewals, warnings), made from the same rows as the CSV and table outputs."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from patentreach.model.spreadsheet_cells import neutralise, neutralise_row
from patentreach.protect import report_data
from patentreach.protect.gap_report import GapReport

DEADLINE_COLUMNS = ["deadline", "expires", "family", "route", "office", "markets", "verified"]


def write_workbook(report: GapReport, path: Path) -> Path:
    workbook = Workbook()
    sheets = [
        ("summary", ["item", "value"], report_data.summary_rows(report)),
        ("next deadlines", DEADLINE_COLUMNS, report_data.deadline_rows(report)),
        ("coverage", report_data.COVERAGE_COLUMNS, report_data.coverage_rows(report)),
        ("gaps", report_data.GAP_COLUMNS, report_data.gap_rows(report)),
        ("routes", report_data.ROUTE_COLUMNS, report_data.route_rows(report)),
        ("risks", report_data.RISK_COLUMNS, report_data.risk_rows(report)),
        ("renewals", report_data.RENEWAL_COLUMNS, report_data.renewal_rows(report)),
        ("warnings", ["warning"], [(warning,) for warning in report.warnings]),
    ]
    first = True
    for title, columns, rows in sheets:
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = title
        sheet.append(neutralise_row(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(["" if value is None else neutralise(value) for value in row])
        sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
