"""``patentreach fetch google`` on the command line: the SQL for the console, bad values refused
with exit 2 naming the choices, a missing library answered with what to install and the SQL, and
a run (fake library) that reports the dry run's bytes and lists the files it wrote."""

from __future__ import annotations

import sys

from typer.testing import CliRunner

from patentreach.cli.main import app
from tests.fetch.google_fakes import FakeBigQuery, forbid_network, install, sample_batches
from tests.fetch.test_google_sql import CN_MAJOR_2020_2021_CONSOLE

runner = CliRunner(env={"COLUMNS": "200", "PATENTREACH_DEBUG": ""})
BASE = ["fetch", "google", "--origin", "CN", "--years", "2020-2021"]


def _error_line(result) -> str:  # type: ignore[no-untyped-def]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_sql_only_prints_the_console_script_for_major_offices() -> None:
    result = runner.invoke(app, [*BASE, "--offices", "major", "--sql-only"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == CN_MAJOR_2020_2021_CONSOLE + "\n"


def test_unknown_office_group_is_exit_2_with_the_valid_names() -> None:
    result = runner.invoke(app, [*BASE, "--offices", "majr", "--sql-only"])
    assert result.exit_code == 2
    line = _error_line(result)
    assert line.startswith("error: office 'majr' is not known (did you mean major?); choose from the groups major, ")
    assert "ip5" in line and "bri" in line


def test_unknown_office_code_and_origin_are_exit_2() -> None:
    office = runner.invoke(app, [*BASE, "--offices", "US,UX", "--sql-only"])
    assert office.exit_code == 2 and "office 'UX' is not known" in _error_line(office)
    origin = runner.invoke(app, ["fetch", "google", "--origin", "XX", "--years", "2021", "--sql-only"])
    assert origin.exit_code == 2
    assert _error_line(origin).startswith("error: origin 'XX' is not a known country code")


def test_bad_years_format_and_size_are_exit_2() -> None:
    cases = {
        ("--years", "twenty"): "error: years 'twenty': expected YYYY or YYYY-YYYY",
        ("--format", "csv"): "error: --format 'csv' is not an export format; choose from parquet, jsonl",
        ("--max-bytes-billed", "lots"): "error: --max-bytes-billed 'lots' is not a size (e.g. 200G, 1T, 500M)",
        ("--date-basis", "filing"): "error: date basis 'filing' is not known; choose from grant, publication",
    }
    for (option, value), message in cases.items():
        result = runner.invoke(app, [*BASE, option, value, "--sql-only"])
        assert result.exit_code == 2, (option, result.stdout)
        assert _error_line(result) == message


def test_running_needs_an_output_folder() -> None:
    result = runner.invoke(app, BASE)
    assert result.exit_code == 2
    assert _error_line(result) == (
        "error: --out DIR is required to run the extraction (or give --sql-only to print the SQL)")


def test_without_the_library_the_sql_is_printed_and_exit_is_2(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    forbid_network(monkeypatch)
    monkeypatch.setitem(sys.modules, "google", None)
    result = runner.invoke(app, [*BASE, "--offices", "major", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stdout == CN_MAJOR_2020_2021_CONSOLE + "\n"
    line = _error_line(result)
    assert line.startswith("error: cannot run the query: google-cloud-bigquery is not installed")
    assert "pip install 'patentreach[bigquery]'" in line and line.endswith("run it in the BigQuery console instead")


def test_a_run_reports_the_bytes_then_lists_the_files(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    forbid_network(monkeypatch)
    fake = FakeBigQuery(batches=sample_batches((4, 4, 2)))
    install(monkeypatch, fake)
    out = tmp_path / "out"
    result = runner.invoke(app, [*BASE, "--offices", "US", "--out", str(out), "-f", "jsonl", "--project", "p1"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [str(out / "publications-00001.jsonl")]
    assert result.stderr.splitlines() == [
        "dry run: the query will process 117.7 MiB (limit 200.0 GiB)",
        f"10 rows in 1 jsonl files in {out} (query processed 117.7 MiB); next: patentreach ingest {out}",
    ]


def test_a_run_over_the_cost_limit_is_exit_1(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    forbid_network(monkeypatch)
    install(monkeypatch, FakeBigQuery(batches=sample_batches((10,)), bytes_processed=2 << 40))
    result = runner.invoke(app, [*BASE, "--out", str(tmp_path), "--max-bytes-billed", "1T"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "error: the query would process 2.0 TiB, over --max-bytes-billed 1.0 TiB; raise the limit or narrow the slice")


def test_an_empty_result_is_said_out_loud(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    forbid_network(monkeypatch)
    install(monkeypatch, FakeBigQuery(batches=[]))
    result = runner.invoke(app, [*BASE, "--offices", "US", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        "warning: no publication matched the slice: no file written "
        "(check --years, --offices and --origin against the SQL of --sql-only)")
