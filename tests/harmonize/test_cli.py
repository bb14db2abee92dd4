"""``patentreach harmonize`` and ``patentreach entities search`` as a user runs them."""

from __future__ import annotations

import errno
import fcntl
import importlib
import json
import os
import re
import shutil
import subprocess
import sys

from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.warehouse import Warehouse
from patentreach.warehouse.ingest import ingest
from tests.conftest import shared_path

runner = CliRunner(env={"COLUMNS": "200"})
# the module, not the function of the same name that the package exports
harmonize_module = importlib.import_module("patentreach.harmonize.harmonize")


def test_harmonize_prints_the_report(harmonized_copy):
    result = runner.invoke(app, ["harmonize", "--warehouse", str(harmonized_copy.root)])
    assert result.exit_code == 0, result.output
    assert re.search(r"entities\s*│\s*163", result.output)
    assert re.search(r"entity ids kept / new / retired\s*│\s*163 / 0 / 0", result.output)
    assert re.search(r"first_applicant\s*│\s*other_applicant_same_entity\s*│\s*3", result.output)
    assert re.search(r"first_applicant\s*│\s*inventor\s*│\s*1", result.output)
    assert "coverage: publications without origin, without sector, typed other" in result.output
    for name in ("entities", "party_entity", "origin_shares", "entity_variants"):
        assert (harmonized_copy.derived_dir / f"{name}.parquet").is_file()


def test_harmonize_rejects_an_unknown_engine_and_a_missing_warehouse(tmp_path):
    bad = runner.invoke(app, ["harmonize", "--warehouse", str(tmp_path / "none")])
    assert bad.exit_code == 2
    assert "no warehouse here" in bad.output
    engine = runner.invoke(app, ["harmonize", "--warehouse", str(tmp_path), "--engine", "oracle"])
    assert engine.exit_code == 2
    assert "unknown engine" in engine.output


def test_entities_search_shows_variants_and_publications(harmonized_copy):
    result = runner.invoke(
        app, ["entities", "search", "Robert Bosch GmbH", "--warehouse", str(harmonized_copy.root), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert (document["query"], document["normalised"]) == ("Robert Bosch GmbH", "ROBERT BOSCH")
    entities, variants, publications = document["entities"], document["variants"], document["publications"]
    assert entities[0]["name"] == "ROBERT BOSCH G.M.B.H." and entities[0]["match"] == "exact"
    assert {v["name"] for v in variants} == {"ROBERT BOSCH G.M.B.H."}
    assert [p["pub_id"] for p in publications] == ["DE-1258188-B", "DE-1258189-B"]


def test_entities_search_finds_close_spellings(harmonized_copy):
    result = runner.invoke(app, ["entities", "search", "Jaguar Land Rover", "--warehouse", str(harmonized_copy.root)])
    assert result.exit_code == 0, result.output
    assert "JAGUAR LAND ROVER LIMITED" in result.output
    assert "US-RE49258-E1" in result.output
    missing = runner.invoke(app, ["entities", "search", "Nonexistent Widgets", "-w", str(harmonized_copy.root)])
    assert missing.exit_code == 1


def test_entities_search_before_harmonize(tmp_path):
    ingest([shared_path("data", "uspto-grant-xml", "ipgb-biblio", "ipgb20230404.xml")], Warehouse(tmp_path / "wh"))
    result = runner.invoke(app, ["entities", "search", "anything", "--warehouse", str(tmp_path / "wh")])
    assert result.exit_code == 2
    assert "run `patentreach harmonize` first" in result.output



def _one_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    return lines[0]


def test_an_unknown_engine_is_one_line_with_the_choices_and_a_suggestion(tmp_path):
    result = runner.invoke(app, ["harmonize", "--warehouse", str(tmp_path), "--engine", "sprak"])
    assert result.exit_code == 2
    assert _one_line(result.output) == (
        "error: --engine: unknown engine 'sprak': choose one of duckdb, spark (did you mean spark?)"
    )


def test_short_e_is_a_hidden_alias_of_engine(harmonized_copy):
    result = runner.invoke(app, ["harmonize", "-w", str(harmonized_copy.root), "-e", "duckdb"])
    assert result.exit_code == 0, result.output
    assert re.search(r"engine\s*│\s*duckdb", result.output)
    help_text = runner.invoke(app, ["harmonize", "--help"]).output
    assert "--engine" in help_text
    assert not re.search(r"(?<![\w-])-e\b", help_text)


def test_a_locked_warehouse_is_one_line_and_exit_2(harmonized_copy):
    with open(harmonized_copy.lock_path, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = runner.invoke(app, ["harmonize", "-w", str(harmonized_copy.root)])
    assert result.exit_code == 2
    assert _one_line(result.output) == f"error: {harmonized_copy.root}: an ingest or harmonisation is running"


def test_a_read_only_warehouse_is_one_line_and_exit_2(harmonized_copy, monkeypatch):
    # Tests may run as root, whom file modes do not stop: the read-only mount is simulated where
    # harmonize opens its first file for writing (the warehouse lock).
    def read_only(path, *args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    monkeypatch.setattr(harmonize_module, "open", read_only, raising=False)
    before = sorted(p.name for p in harmonized_copy.derived_dir.iterdir())
    result = runner.invoke(app, ["harmonize", "-w", str(harmonized_copy.root)])
    assert result.exit_code == 2
    assert _one_line(result.output) == (
        f"error: {harmonized_copy.root}: cannot write .lock (Read-only file system): "
        "the warehouse is read-only or not yours"
    )
    assert sorted(p.name for p in harmonized_copy.derived_dir.iterdir()) == before


def test_a_derived_folder_that_takes_no_file_stops_before_linking(harmonized_copy):
    shutil.rmtree(harmonized_copy.derived_dir)
    harmonized_copy.derived_dir.write_text("not a folder")
    result = runner.invoke(app, ["harmonize", "-w", str(harmonized_copy.root)])
    assert result.exit_code == 2
    assert _one_line(result.output) == (
        f"error: {harmonized_copy.root}: cannot write derived (File exists): the warehouse is read-only or not yours"
    )


def test_a_warehouse_database_open_in_another_process_is_one_line_and_exit_2(harmonized_copy):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_DATABASE, str(harmonized_copy.duckdb_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        result = runner.invoke(app, ["harmonize", "-w", str(harmonized_copy.root)])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 2
    assert _one_line(result.output) == (
        f"error: {harmonized_copy.duckdb_path}: open in another DuckDB process (PID {holder.pid}): close it and re-run"
    )


HOLD_DATABASE = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(60)"
