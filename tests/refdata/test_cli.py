"""``patentreach refdata list`` and ``show``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from patentreach.cli.refdata import app

runner = CliRunner()


def test_list_names_every_table() -> None:
    result = runner.invoke(app, ["list", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [row["name"] for row in rows] == [
        "offices", "kind_codes", "countries", "country_aliases", "country_groups",
        "ipc_technology_fields", "pct_national_phase_limits", "filing_deadline_rules", "official_fees",
        "published_tables", "published_figures", "names",
    ]


def test_list_as_a_table_says_how_to_override() -> None:
    result = runner.invoke(app, ["list"], env={"COLUMNS": "400"})
    assert result.exit_code == 0
    assert "kind_codes" in result.output
    assert "PATENTREACH_REFDATA" in result.output


def test_show_as_csv_has_source_and_checked_columns() -> None:
    result = runner.invoke(app, ["show", "kind_codes", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {"office", "kind", "doc_type", "valid_from", "valid_to", "source", "checked"} <= set(
        rows[0]
    )
    assert {"office": "US", "kind": "A", "doc_type": "invention_grant"}.items() <= next(
        row for row in rows if row["office"] == "US" and row["kind"] == "A"
    ).items()


def test_show_as_json() -> None:
    result = runner.invoke(app, ["show", "offices", "-f", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert {"code": "EP", "kind": "regional"}.items() <= next(
        row for row in rows if row["code"] == "EP"
    ).items()


def test_show_as_a_table() -> None:
    result = runner.invoke(app, ["show", "country_groups"], env={"COLUMNS": "400"})
    assert result.exit_code == 0
    assert "major_offices" in result.output


def test_show_includes_user_rows(override_dir: Path) -> None:
    (override_dir / "kind_codes.csv").write_text(
        "office,kind,doc_type,valid_from,valid_to,source,checked\nSG,B,invention_grant,,,x,2026-11-25\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["show", "kind_codes", "-f", "csv"])
    assert "SG,B,invention_grant" in result.output
    listing = runner.invoke(app, ["list", "-f", "csv"])
    assert str(override_dir / "kind_codes.csv") in listing.output


def test_unknown_table_and_format_exit_2() -> None:
    assert runner.invoke(app, ["show", "nope"]).exit_code == 2
    assert runner.invoke(app, ["show", "offices", "-f", "xml"]).exit_code == 2
