"""The shared option helpers that keep old spellings working as hidden aliases for one release."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from patentreach.cli.options import (
    EngineOption,
    OldEngineShortOption,
    OldOutputOption,
    OutOption,
    resolve_engine,
    resolve_out,
)

runner = CliRunner(env={"COLUMNS": "200"})


def _example_app() -> typer.Typer:
    example = typer.Typer()

    @example.command()
    def run(out: OutOption = None, old_output: OldOutputOption = None, engine: EngineOption = "duckdb",
            old_engine: OldEngineShortOption = None) -> None:
        typer.echo(f"{resolve_out(out, old_output)} {resolve_engine(engine, old_engine)}")

    return example


def test_old_spellings_feed_the_same_values_and_stay_hidden():
    app = _example_app()
    assert runner.invoke(app, ["--out", "a.csv", "--engine", "spark"]).output == "a.csv spark\n"
    assert runner.invoke(app, ["--output", "a.csv", "-e", "spark"]).output == "a.csv spark\n"
    assert runner.invoke(app, ["-o", "a.csv"]).output == "a.csv duckdb\n"
    help_text = runner.invoke(app, ["--help"]).output
    assert "--output" not in help_text
    assert "-e " not in help_text


def test_out_and_output_with_different_values_is_a_usage_error():
    result = runner.invoke(_example_app(), ["--out", "a.csv", "--output", "b.csv"])
    assert result.exit_code == 2
    assert result.output == "error: --out a.csv and --output b.csv both given; --output is the old name of --out\n"


def test_resolve_out_prefers_the_new_name():
    assert resolve_out(Path("a.csv"), None) == Path("a.csv")
    assert resolve_out(None, Path("b.csv")) == Path("b.csv")
    assert resolve_out(None, None) is None
