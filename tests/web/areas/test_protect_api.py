"""``POST /api/v1/protect/gaps``: the CLI's report for the same files and date, behind sign-in,
with bounded, typed uploads."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app as cli
from patentreach.protect import SAMPLE_AS_OF, sample_path

AS_OF = SAMPLE_AS_OF.isoformat()


def _files(portfolio: bytes | None = None, exports: bytes | None = None, portfolio_name: str = "portfolio.csv",
           exports_name: str = "exports.csv") -> dict:
    return {
        "portfolio": (portfolio_name, portfolio if portfolio is not None else sample_path("portfolio.csv").read_bytes(),
                      "text/csv"),
        "exports": (exports_name, exports if exports is not None else sample_path("exports.csv").read_bytes(),
                    "text/csv"),
    }


def test_the_report_equals_the_clis(signed_in, web_warehouse) -> None:
    answer = signed_in.post("/api/v1/protect/gaps", files=_files(), data={"as_of": AS_OF})
    assert answer.status_code == 200, answer.text
    printed = CliRunner().invoke(cli, ["protect", "gaps", "--portfolio", str(sample_path("portfolio.csv")),
                                       "--exports", str(sample_path("exports.csv")), "--as-of", AS_OF,
                                       "--format", "json", "--warehouse", str(web_warehouse.root)])
    assert printed.exit_code == 0, printed.output
    assert answer.json() == json.loads(printed.stdout)
    report = answer.json()
    assert (report["owner"], report["portfolio"], report["exports"]) == (
        "Example Pumps Co.", "file portfolio.csv", "file exports.csv")
    summary = report["summary"]
    assert (summary["markets"], summary["protected"], summary["pending"], summary["unprotected"]) == (20, 3, 1, 16)
    assert (summary["gaps_open"], summary["gaps_closed"], summary["open_routes"]) == (13, 4, 20)
    assert summary["closed"] == ["valves / IN", "valves / BR", "e-drives / GE", "e-drives / US"]
    assert summary["export_value_exposed"] == {"EUR": 2370000.0, "USD": 6200000.0}
    assert [(g["market"], g["next_deadline"]) for g in report["gaps"][:2]] == [
        ("US", "2026-07-31"), ("DE", "2026-08-31")]


def test_the_calendar_and_the_routes_csv(signed_in) -> None:
    ics = signed_in.post("/api/v1/protect/gaps", files=_files(), data={"as_of": AS_OF, "format": "ics"})
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert ics.text.startswith("BEGIN:VCALENDAR") and "PUMP-1" in ics.text
    routes = signed_in.post("/api/v1/protect/gaps", files=_files(), data={"as_of": AS_OF, "format": "csv"})
    assert routes.text.splitlines()[0].startswith("family,market,product_lines,route,office,status,deadline")


def test_nobody_signed_in_is_a_401(client) -> None:
    answer = client.post("/api/v1/protect/gaps", files=_files(), data={"as_of": AS_OF})
    assert answer.status_code == 401
    assert answer.json() == {"error": "sign in first: uploading files needs an account", "status": 401}


def test_a_file_over_the_limit_is_a_413(signed_in, app) -> None:
    limit = app.state.config.max_upload_bytes
    big = b"product_line,country\n" + b"x,US\n" * (limit // 5 + 1)
    answer = signed_in.post("/api/v1/protect/gaps", files=_files(exports=big), data={"as_of": AS_OF})
    assert answer.status_code == 413
    assert answer.json()["error"] == f"exports: the file is larger than the limit of {limit} bytes"


@pytest.mark.parametrize(("files", "message"), [
    ({"exports_name": "exports.pdf"}, "exports: exports.pdf: only .csv, .xlsx files are accepted"),
    ({"portfolio_name": "portfolio.xlsx"}, "portfolio: portfolio.xlsx is not an Excel workbook (.xlsx)"),
    ({"exports": b"PK\x03\x04 not really", "exports_name": "exports.csv"},
     "exports: exports.csv is not a CSV text file (UTF-8 or GBK)"),
])
def test_a_file_of_the_wrong_type_is_a_415(signed_in, files, message) -> None:
    answer = signed_in.post("/api/v1/protect/gaps", files=_files(**files), data={"as_of": AS_OF})
    assert (answer.status_code, answer.json()["error"]) == (415, message)


def test_a_zip_that_is_not_a_workbook_is_a_415(signed_in) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    answer = signed_in.post("/api/v1/protect/gaps", files=_files(portfolio=buffer.getvalue(),
                                                                   portfolio_name="book.xlsx"))
    assert (answer.status_code, answer.json()["error"]) == (
        415, "portfolio: book.xlsx is not an Excel workbook (.xlsx)")


def test_input_problems_are_400_with_the_librarys_lines(signed_in) -> None:
    exports = b"product_line,country,export_value\nsmart pumps,XX,12\n"
    answer = signed_in.post("/api/v1/protect/gaps", files=_files(exports=exports), data={"as_of": AS_OF})
    assert answer.status_code == 400
    body = answer.json()
    assert body["status"] == 400 and body["problems"]
    assert all(problem.startswith("exports.csv") for problem in body["problems"])
    assert any("row 2" in problem and "country" in problem for problem in body["problems"])


@pytest.mark.parametrize(("data", "message"), [
    ({"as_of": "June"}, "as_of 'June' is not a date (YYYY-MM-DD)"),
    ({"as_of": AS_OF, "format": "pdf"}, "format 'pdf' is not one of json, csv, xlsx, ics"),
    ({"as_of": AS_OF, "entity": "E1"}, "give exactly one of portfolio (a CSV/XLSX file) or entity (an entity id)"),
])
def test_bad_fields_are_400(signed_in, data, message) -> None:
    answer = signed_in.post("/api/v1/protect/gaps", files=_files(), data=data)
    assert (answer.status_code, answer.json()["error"]) == (400, message)


def test_the_exports_file_is_required(signed_in) -> None:
    files = {"portfolio": _files()["portfolio"]}
    answer = signed_in.post("/api/v1/protect/gaps", files=files, data={"as_of": AS_OF})
    assert (answer.status_code, answer.json()["error"]) == (
        400, "missing file exports (CSV/XLSX of product line x country)")


def test_an_entity_portfolio_equals_the_clis(signed_in, web_warehouse, tmp_path) -> None:
    exports = b"product_line,country,export_value,currency\ncameras,US,1000,USD\ncameras,DE,500,EUR\n"
    answer = signed_in.post("/api/v1/protect/gaps", files={"exports": ("cameras.csv", exports, "text/csv")},
                            data={"entity": "Ec7c2ecb28d4c", "as_of": AS_OF})
    assert answer.status_code == 200, answer.text
    (tmp_path / "cameras.csv").write_bytes(exports)
    printed = CliRunner().invoke(cli, ["protect", "gaps", "--entity", "Ec7c2ecb28d4c", "--exports",
                                       str(tmp_path / "cameras.csv"), "--as-of", AS_OF, "--format", "json",
                                       "--warehouse", str(web_warehouse.root)])
    assert answer.json() == json.loads(printed.stdout)
    report = answer.json()
    assert (report["owner"], report["summary"]["markets"], report["summary"]["unprotected"]) == ("SONY", 2, 2)
    assert [(g["market"], g["coverage"], g["state"]) for g in report["gaps"]] == [
        ("US", "none", "closed"), ("DE", "none", "closed")]
    unknown = signed_in.post("/api/v1/protect/gaps", files={"exports": ("cameras.csv", exports, "text/csv")},
                             data={"entity": "E000", "as_of": AS_OF})
    assert unknown.status_code == 400
    assert unknown.json()["error"] == (
        "entity 'E000' is not an applicant or assignee of any publication in the warehouse")


def test_workbooks_are_read_as_the_cli_reads_them(signed_in, web_warehouse, tmp_path) -> None:
    import csv

    from openpyxl import Workbook

    for name in ("portfolio", "exports"):
        book = Workbook()
        with sample_path(f"{name}.csv").open(encoding="utf-8") as handle:
            for row in csv.reader(handle):
                book.active.append(row)
        book.save(tmp_path / f"{name}.xlsx")
    files = {name: (f"{name}.xlsx", (tmp_path / f"{name}.xlsx").read_bytes(), "application/octet-stream")
             for name in ("portfolio", "exports")}
    answer = signed_in.post("/api/v1/protect/gaps", files=files, data={"as_of": AS_OF, "top": "3"})
    assert answer.status_code == 200, answer.text
    printed = CliRunner().invoke(cli, ["protect", "gaps", "--portfolio", str(tmp_path / "portfolio.xlsx"),
                                       "--exports", str(tmp_path / "exports.xlsx"), "--as-of", AS_OF, "--top", "3",
                                       "--format", "json", "--warehouse", str(web_warehouse.root)])
    assert answer.json() == json.loads(printed.stdout)
    assert answer.json()["portfolio"] == "file portfolio.xlsx" and answer.json()["summary"]["markets"] == 20
