"""``patentreach protect national`` as a user runs it, and the demo's national indicator."""

from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.protect.demo import national_demo
from patentreach.protect.national import national_indicator
from patentreach.protect.samples.synthetic_exporters import synthetic_exporters

runner = CliRunner(env={"COLUMNS": "200"})


def test_the_command_matches_exporters_and_writes_its_files(harmonised_warehouse, tmp_path):
    from patentreach.warehouse import connect

    con = connect(harmonised_warehouse)
    try:
        entity_id, name = con.execute("SELECT entity_id, name FROM entities ORDER BY n_publications DESC, entity_id "
                                      "LIMIT 1").fetchone()
    finally:
        con.close()
    exporters = tmp_path / "exporters.csv"
    exporters.write_text("exporter_id,name,sector,size,markets,entity_id\n"
                         f"E1,\"{name}\",private,large,US; DE,\n"
                         f"E2,Someone,private,small,DE,{entity_id}\n"
                         "E3,No Such Exporter Zzyzx,state,small,JP,\n", encoding="utf-8")
    result = runner.invoke(app, ["protect", "national", "--exporters", str(exporters), "--as-of", "2026-06-01",
                                 "-w", str(harmonised_warehouse.root), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Exporters without a patent in force in their export markets, as of 2026-06-01" in result.output
    assert "Unmatched exporters" in result.output and "No Such Exporter Zzyzx" in result.output
    data = json.loads((tmp_path / "out" / "national.json").read_text("utf-8"))
    assert data["matching_rate"] == 0.6667
    assert [row["exporter"] for row in data["unmatched"]] == ["E3"]


def test_usage_errors_are_one_line(tmp_path):
    exporters = tmp_path / "exporters.csv"
    exporters.write_text("exporter_id,name,markets\nE1,Acme,DE\n", encoding="utf-8")
    result = runner.invoke(app, ["protect", "national", "--exporters", str(exporters), "--survey", "s.sqlite"])
    assert result.exit_code == 2
    assert "--survey needs --survey-weights FILE" in result.output
    result = runner.invoke(app, ["protect", "national", "--exporters", str(exporters), "-w", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "no entities yet (run `patentreach harmonize` first)" in result.output


def test_the_synthetic_exporters_are_deterministic_and_the_demo_prints_the_shares(tmp_path):
    exporters, holdings = synthetic_exporters(as_of=date(2026, 6, 1))
    total = national_indicator(exporters, holdings, date(2026, 6, 1)).rows[0].as_dict()
    assert (total["exporters"], total["matched"]) == (300, 169)
    lines = national_demo(tmp_path)
    assert lines[0] == ("national indicator on 300 synthetic exporters as of 2026-06-01: matched 56.3%; no patent in "
                        "force in any export market 69.3%, not in every one 95.0% (matched only: 45.6% / 91.1%)")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["national.csv", "national.json", "unmatched.csv"]


def test_a_missing_survey_store_is_one_line(tmp_path):
    exporters = tmp_path / "exporters.csv"
    exporters.write_text("exporter_id,name,markets\nE1,Acme,DE\n", encoding="utf-8")
    result = runner.invoke(app, ["protect", "national", "--exporters", str(exporters), "-w",
                                 str(tmp_path / "none"), "--survey", str(tmp_path / "no.sqlite"),
                                 "--survey-weights", str(tmp_path / "w.csv")])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {tmp_path / 'no.sqlite'}: no such survey store"
