"""Bad values on the command line of this part's commands: exit 2, one line, the valid choices
and the closest one."""

from __future__ import annotations

from typer.testing import CliRunner

from patentreach.cli.main import app

runner = CliRunner(env={"COLUMNS": "200"})


def test_an_unknown_reference_table_suggests_the_closest():
    result = runner.invoke(app, ["refdata", "show", "ofices"])
    assert result.exit_code == 2
    assert result.output == (
        "error: unknown reference table 'ofices'; choose from offices, kind_codes, countries, country_aliases, "
        "country_groups, ipc_technology_fields, pct_national_phase_limits, filing_deadline_rules, official_fees, "
        "published_tables, published_figures, names (did you mean offices?)\n"
    )


def test_an_unknown_refdata_format_lists_the_formats():
    result = runner.invoke(app, ["refdata", "list", "-f", "xml"])
    assert result.exit_code == 2
    assert result.output == "error: --format 'xml' is not a format; choose from table, csv, json\n"


def test_info_on_a_missing_warehouse_is_exit_2(tmp_path):
    result = runner.invoke(app, ["info", "-w", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert result.output == (
        f"error: {tmp_path / 'none'}: no warehouse here (run `patentreach ingest` first, or give --warehouse DIR)\n"
    )


def test_info_with_an_unknown_format_is_exit_2(tmp_path):
    (tmp_path / "ingest_log").mkdir()
    result = runner.invoke(app, ["info", "-w", str(tmp_path), "--format", "csvv"])
    assert result.exit_code == 2
    assert result.output == "error: --format 'csvv' is not a format; choose from table, csv, json (did you mean csv?)\n"
