"""Long commands show progress on stderr (transient: stdout keeps only the result), and the
commands of this part import no heavy engine before they run."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.synth.warehouse import write_warehouse

runner = CliRunner(env={"COLUMNS": "200"})
HEAVY = ("ibis", "pyspark", "splink", "pandas", "sqlalchemy", "fastapi", "uvicorn", "altair", "vl_convert", "babel")


def test_write_warehouse_reports_each_step_then_done(tmp_path):
    calls = []
    write_warehouse(tmp_path / "wh", 3_000, seed=2, chunk_size=2_000, threads=1,
                    progress=lambda done, total, message: calls.append((done, total, message)))
    assert calls == [
        (0, 3, "publications 0..1,999"),
        (1, 3, "publications 2,000..2,999"),
        (2, 3, "entities"),
        (3, 3, "done"),
    ]


def test_synth_prints_only_its_result_table(tmp_path):
    result = runner.invoke(app, ["synth", "--publications", "2000", "--threads", "1", "-w", str(tmp_path / "wh")])
    assert result.exit_code == 0, result.output
    assert result.output.lstrip().startswith("synthetic warehouse")
    assert "entities" in result.output
    assert "publications 0..1,999" not in result.output


def test_synth_refuses_a_real_warehouse_in_one_line(tmp_path):
    (tmp_path / "ingest_log").mkdir()
    (tmp_path / "ingest_log" / "3f2a9c1e00000000.parquet").write_bytes(b"")
    result = runner.invoke(app, ["synth", "--publications", "100", "-w", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output == (
        f"error: {tmp_path} holds ingested data (1 ingests): synth writes only to a new or synthetic warehouse\n"
    )


def test_synth_rejects_a_zero_size_as_a_usage_error(tmp_path):
    result = runner.invoke(app, ["synth", "--publications", "0", "-w", str(tmp_path)])
    assert result.exit_code == 2
    assert "Invalid value for '--publications': Input should be greater than or equal to 1" in result.output


def _imported_after(statement: str, watched: tuple[str, ...] = HEAVY) -> list[str]:
    code = f"import sys; {statement}; print(','.join(m for m in {watched!r} if m in sys.modules))"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return [name for name in output.strip().split(",") if name]


def test_this_parts_commands_import_no_heavy_engine():
    modules = "patentreach.cli.{demo,synth,query,refdata,errors,help_labels,output,options,progress_bars}"
    statement = "; ".join(f"import {modules.split('{')[0]}{name}" for name in modules[:-1].split("{")[1].split(","))
    assert _imported_after(statement) == []


def test_starting_the_cli_imports_no_heavy_engine():
    assert _imported_after("import patentreach.cli.main") == []


def test_starting_the_cli_imports_no_database_engine_and_no_arrow():
    assert _imported_after("import patentreach.cli.main", ("duckdb", "pyspark", "pyarrow", "numpy", "lxml")) == []


HELP = "from typer.testing import CliRunner; from patentreach.cli.main import app; CliRunner().invoke(app, {args!r})"


@pytest.mark.parametrize("args", [["--help"], ["stats", "--help"], ["stats", "transfers", "--help"],
                                  ["harmonize", "--help"], ["entities", "--help"], ["ingest", "--help"],
                                  ["survey", "--help"], ["protect", "--help"]])
def test_help_of_a_command_group_imports_no_heavy_engine(args):
    assert _imported_after(HELP.format(args=args)) == []


def test_help_lists_every_command_group_in_order():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    commands = result.output.split("Commands")[1]
    listed = [line.strip("│ ").split()[0] for line in commands.splitlines()[1:] if line.startswith("│")]
    assert listed == ["ingest", "info", "query", "demo", "synth", "harmonize", "serve", "bulletin", "status", "stats",
                      "refdata", "survey", "entities", "protect", "fetch", "users"]


@pytest.mark.parametrize(("group", "commands"), [
    ("stats", ["outbound", "records", "prepare", "compare", "transfers"]),
    ("stats transfers", ["flows", "owner-shares", "counterparties", "records", "conveyances"]),
    ("entities", ["search"]),
])
def test_help_of_a_group_lists_its_commands(group, commands):
    result = runner.invoke(app, [*group.split(), "--help"])
    assert result.exit_code == 0, result.output
    listed = result.output.split("Commands")[1]
    assert [line.strip("│ ").split()[0] for line in listed.splitlines()[1:] if line.startswith("│")] == commands


def test_the_demo_reports_each_stage_in_order(tmp_path, monkeypatch):
    import patentreach.report.demo as report_demo
    from patentreach.report.demo import STAGES, demo

    # The survey and the gap report have tests of their own; here only the order of stages counts.
    monkeypatch.setattr(report_demo, "run_survey_demo", lambda *_args, **_kwargs: [])
    monkeypatch.setattr(report_demo, "protect_demo", lambda *_args, **_kwargs: [])
    monkeypatch.setattr(report_demo, "bulletin_demo", lambda *_args, **_kwargs: None)
    calls = []
    demo(tmp_path / "demo", grants=30, publications=3_000,
         stage=lambda done, total, message: calls.append((done, total, message)))
    assert [done for done, _total, _message in calls if not _message.startswith("synthetic warehouse (")] == [
        0, 1, 3, 4, 5, 6
    ]
    assert {total for _done, total, _message in calls} == {len(STAGES)}
    synth_messages = [message for done, _total, message in calls if done == 2]
    assert synth_messages[0] == "synthetic warehouse (0/1: starting)"
    assert synth_messages[-1] == "synthetic warehouse (2/2: done)"
    assert calls[-1] == (6, 6, "done")
