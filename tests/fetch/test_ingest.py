"""``fetch ... --ingest``: the fetched weekly files go through the same function as ``patentreach
ingest`` and land in the warehouse with the counts the samples hold (PROVENANCE: 25 grants in each
weekly slice; 2005-01-04 kinds B1 8, B2 17; 2006-01-03 kinds B1 8, B2 14, S1 2, H1 1)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.fetch import run
from tests.fetch.loopback import quick_policy, serve_odp, weekly_files

runner = CliRunner(env={"COLUMNS": "200", "USPTO_API_KEY": "test-key"})


def _query(warehouse, sql: str) -> list[dict]:
    result = runner.invoke(app, ["query", sql, "-w", str(warehouse), "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_fetched_weeks_are_ingested_with_the_right_counts(loopback, weekly_zips, tmp_path, monkeypatch):
    monkeypatch.setattr(run, "Policy", lambda: quick_policy([]))
    serve_odp(loopback, "PTGRXML", weekly_files(weekly_zips))
    warehouse = tmp_path / "wh"
    result = runner.invoke(app, ["fetch", "uspto-grants", "--weeks", "2005-01..2006-01", "-o", str(tmp_path / "dl"),
                                 "--ingest", "-w", str(warehouse), "--base-url", loopback.url])
    assert result.exit_code == 0, result.output
    assert "ipg050104.zip" in result.output and "ingested" in result.output
    rows = _query(warehouse, "SELECT kind, count(*) AS n FROM publications "
                             "GROUP BY kind ORDER BY kind")
    assert rows == [{"kind": "B1", "n": 16}, {"kind": "B2", "n": 31}, {"kind": "H1", "n": 1}, {"kind": "S1", "n": 2}]
    files = _query(warehouse, "SELECT count(DISTINCT pub_date) AS weeks, count(DISTINCT source_file) AS files, "
                              "count(*) AS grants FROM publications")
    assert files == [{"weeks": 2, "files": 2, "grants": 50}]
