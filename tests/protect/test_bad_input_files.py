"""``protect gaps`` never crashes on a damaged input and never takes a number that is not one.

Damaged files are made from the packaged sample portfolio, export markets and fee table:
re-encoded as Windows-1252, compressed into a binary, renamed to ``.xlsx`` without being a
workbook, emptied, stripped of a required column, cut to the header. Each gives exit 2 and
error lines that name the file, without a traceback. Export values (and fee amounts) of
``nan``, ``NaN``, ``inf``, ``-Infinity`` and ``1e400``, and negative ones, are errors naming
the file, row and column, in CSV and in XLSX.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.protect import sample_path
from patentreach.refdata.loader import package_path

runner = CliRunner(env={"COLUMNS": "200"})
AS_OF = ["--as-of", "2026-06-01"]


def _valid(slot: str) -> Path:
    return {"--portfolio": sample_path("portfolio.csv"), "--exports": sample_path("exports.csv"),
            "--fees": package_path("official_fees")}[slot]


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def _write_csv(rows: list[list[str]], target: Path) -> None:
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _not_utf8(source: Path, target: Path) -> None:
    rows = _rows(source)
    rows[1][1] = rows[1][1] + " Société"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    target.write_bytes(buffer.getvalue().encode("cp1252"))


def _binary(source: Path, target: Path) -> None:
    target.write_bytes(gzip.compress(source.read_bytes()))


def _empty(source: Path, target: Path) -> None:
    target.write_bytes(b"")


def _header_only(source: Path, target: Path) -> None:
    _write_csv(_rows(source)[:1], target)


REQUIRED = {"--portfolio": "status", "--exports": "country", "--fees": "office_code"}


def _missing_column(slot: str) -> Callable[[Path, Path], None]:
    def damage(source: Path, target: Path) -> None:
        rows = _rows(source)
        drop = rows[0].index(REQUIRED[slot])
        _write_csv([[cell for i, cell in enumerate(row) if i != drop] for row in rows], target)
    return damage


def _command(slot: str, bad: Path) -> list[str]:
    files = {"--portfolio": str(_valid("--portfolio")), "--exports": str(_valid("--exports"))}
    files[slot] = str(bad)
    args = ["protect", "gaps", "--portfolio", files["--portfolio"], "--exports", files["--exports"], *AS_OF,
            "-w", "/nonexistent-warehouse", "-f", "json"]
    return [*args, "--fees", str(bad)] if slot == "--fees" else args


def _error_lines(result) -> list[str]:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return [line for line in result.output.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize("damage", ["not_utf8", "binary", "xlsx_not_zip", "empty", "missing_column", "header_only"])
@pytest.mark.parametrize("slot", ["--portfolio", "--exports", "--fees"])
def test_a_damaged_input_is_an_error_line_naming_the_file_and_exit_2(slot, damage, tmp_path):
    bad = tmp_path / ("damaged.xlsx" if damage == "xlsx_not_zip" else "damaged.csv")
    if damage == "xlsx_not_zip":
        bad.write_bytes(_valid(slot).read_bytes())  # a CSV renamed to .xlsx
    else:
        maker = {"not_utf8": _not_utf8, "binary": _binary, "empty": _empty, "header_only": _header_only,
                 "missing_column": _missing_column(slot)}[damage]
        maker(_valid(slot), bad)
    result = runner.invoke(app, _command(slot, bad))
    assert result.exit_code == 2, result.output
    lines = _error_lines(result)
    assert lines and all(bad.name in line for line in lines), result.output


NOT_NUMBERS = ["nan", "NaN", "inf", "-Infinity", "1e400", "-5"]


def _exports_with(value: str) -> list[list[str]]:
    rows = _rows(sample_path("exports.csv"))
    rows[3][rows[0].index("export_value")] = value  # row 4 as a spreadsheet shows it
    return rows


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_a_non_finite_or_negative_export_value_in_csv_is_named_by_row_and_column(value, tmp_path):
    bad = tmp_path / "exports.csv"
    _write_csv(_exports_with(value), bad)
    result = runner.invoke(app, _command("--exports", bad))
    assert result.exit_code == 2, result.output
    reason = "is negative" if value == "-5" else "is not a finite number"
    assert _error_lines(result) == [f"error: exports.csv, row 4, column export_value: {value!r} {reason}"]


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_a_non_finite_or_negative_export_value_in_xlsx_is_named_by_row_and_column(value, tmp_path):
    bad = tmp_path / "exports.xlsx"
    book = Workbook()
    for row in _exports_with(value):
        book.active.append(row)
    book.save(bad)
    result = runner.invoke(app, _command("--exports", bad))
    assert result.exit_code == 2, result.output
    reason = "is negative" if value == "-5" else "is not a finite number"
    assert _error_lines(result) == [f"error: exports.xlsx, row 4, column export_value: {value!r} {reason}"]


def test_a_non_finite_fee_amount_is_named_by_row_and_column(tmp_path):
    rows = _rows(package_path("official_fees"))
    rows[2][rows[0].index("amount")] = "inf"
    bad = tmp_path / "fees.csv"
    _write_csv(rows, bad)
    result = runner.invoke(app, _command("--fees", bad))
    assert result.exit_code == 2
    assert _error_lines(result) == ["error: fees.csv, row 3, column amount: 'inf' is not a finite number"]


def test_valid_inputs_give_valid_json_with_finite_totals(tmp_path):
    result = runner.invoke(app, _command("--exports", _valid("--exports")))
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)  # strict JSON: json.loads accepts NaN, so look for it too
    assert "NaN" not in result.output and "Infinity" not in result.output
    assert report["summary"]["markets"] == 20


def _portfolio_with(changes: dict[tuple[int, str], str], tmp_path: Path) -> Path:
    rows = _rows(sample_path("portfolio.csv"))
    for (number, column), value in changes.items():
        rows[number - 1][rows[0].index(column)] = value
    path = tmp_path / "portfolio.csv"
    _write_csv(rows, path)
    return path


def test_a_grant_after_the_assessment_date_and_impossible_priority_years_are_warned(tmp_path):
    # row 3: CTRL-2 at CN granted 2025-05-09 -> 2027; row 8: SENSOR-4 (one row) priority 2025 -> 1825
    portfolio = _portfolio_with({(3, "grant_date"): "2027-05-09", (8, "priority_date"): "1825-11-20",
                                 (8, "application_date"): "1825-11-20"}, tmp_path)
    result = runner.invoke(app, ["protect", "gaps", "--portfolio", str(portfolio), "--exports",
                                 str(_valid("--exports")), *AS_OF, "-w", str(tmp_path / "none"), "-f", "json"])
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.output)["warnings"]
    assert ("portfolio.csv row 3, column grant_date: 2027-05-09 is after the assessment date 2026-06-01 "
            "(--as-of): check the year") in warnings
    assert ("portfolio.csv row 8, column priority_date: 1825-11-20 is before 1883 (the Paris Convention): "
            "check the year") in warnings


def test_a_priority_date_after_the_assessment_date_is_warned(tmp_path):
    result = runner.invoke(app, ["protect", "gaps", *_command("--exports", _valid("--exports"))[2:6],
                                 "--as-of", "2024-01-01", "-w", str(tmp_path / "n"), "-f", "json"])
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.output)["warnings"]
    assert ("portfolio.csv row 2, column priority_date: 2024-01-31 is after the assessment date 2024-01-01 "
            "(--as-of): check the year") in warnings


@pytest.mark.parametrize(("slot", "most"), [("--portfolio", 3), ("--exports", 12), ("--fees", 25)])
def test_a_file_over_the_records_limit_is_refused_naming_the_limit(slot, most, monkeypatch):
    """The sample portfolio has 9 rows, the exports 20, the fee table 35."""
    from patentreach.sources import limits

    monkeypatch.setenv(limits.ENVIRONMENT_VARIABLE, f"max_records_per_file={most}")
    monkeypatch.setattr(limits, "_current", None)
    result = runner.invoke(app, _command(slot, _valid(slot)))
    assert result.exit_code == 2, result.output
    assert _error_lines(result) == [f"error: {_valid(slot).name}: more than {most} rows, over the limit "
                                    "max_records_per_file (lift it with PATENTREACH_LIMITS=max_records_per_file=N)"]


def _zip_bomb(target: Path, megabytes: int = 100) -> None:
    """A .xlsx whose one member inflates 100 MB of zeros from about 100 kB (ratio ~1000:1)."""
    import zipfile

    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive, \
            archive.open("xl/worksheets/sheet1.xml", "w") as member:
        chunk = b"\0" * (1 << 20)
        for _ in range(megabytes):
            member.write(chunk)


def test_a_workbook_that_inflates_past_the_compression_limit_is_refused_before_reading(tmp_path):
    bad = tmp_path / "exports.xlsx"
    _zip_bomb(bad)
    result = runner.invoke(app, _command("--exports", bad))
    assert result.exit_code == 2, result.output
    [line] = _error_lines(result)
    assert line.startswith("error: exports.xlsx: compressed ") and "over the limit max_compression_ratio=200" in line
