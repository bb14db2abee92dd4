"""Help printed in framed panels without Rich (issue #20): the same rows as Typer's Rich help,
framed to the terminal's width, a command list giving each command's whole first paragraph."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from patentreach.cli.help_panels import PanelHelpFormatter
from patentreach.cli.main import app


def _help(args: list[str], columns: int) -> str:
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(app, [*args, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def root_help() -> str:
    return _help([], 120)


def _panel(text: str, title: str) -> list[str]:
    """The rows of the panel ``title`` (its inner text, right padding removed)."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"╭─ {title} "))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("╰"))
    return [line[2:-2].rstrip() for line in lines[start + 1:end]]


def test_every_panel_line_is_as_wide_as_the_terminal(root_help):
    framed = [line for line in root_help.splitlines() if line[:1] in ("╭", "│", "╰")]
    assert [line.split()[1] for line in framed if line.startswith("╭")] == ["Options", "Commands"]
    assert sum(line.startswith("╰") for line in framed) == 2
    assert {len(line) for line in framed} == {120}


def test_the_root_lists_each_commands_whole_first_paragraph(root_help):
    commands = _panel(root_help, "Commands")
    assert commands[0] == "ingest     Ingest patent files into the warehouse; prints a table of per-file counts."
    assert commands[3:5] == [
        "query      Run read-only DuckDB SQL over the warehouse views (publications, parties, classifications, "
        "priorities,",
        "           designations, quarantine, ingest_log, all_publications, transfers, ...).",
    ]
    assert commands[5] == ("demo       Ingest a synthetic USPTO grant file, then the outbound figure, the survey, "
                           "a gap report and the bulletin.")
    assert not any(row.endswith("...") for row in commands)


def test_the_root_help_reads_usage_text_then_options_then_commands(root_help):
    head = root_help.split("╭")[0]
    assert head == ("Usage: patentreach [OPTIONS] COMMAND [ARGS]...\n\n"
                    "  Overseas patent intelligence from real patent-office data.\n\n")
    assert _panel(root_help, "Options") == [
        "--debug    Show the Python traceback of an unexpected error. [env var: PATENTREACH_DEBUG]",
        "--version  Print the version and exit.",
        "--help     Show this message and exit.",
    ]


def test_a_long_help_wraps_inside_its_panel_beside_the_option():
    options = _panel(_help(["stats", "outbound"], 80), "Options")
    start = options.index("--type TYPE                 invention, utility_model, design")
    assert options[start:start + 2] == [
        "--type TYPE                 invention, utility_model, design",
        "                            (comma-separated). [default: invention]",
    ]


def test_an_option_wider_than_the_first_column_has_its_help_on_the_next_line():
    options = _panel(_help(["survey", "sample"], 100), "Options")
    start = options.index("--patents-per-enterprise ENTERPRISE")
    assert options[start + 1] == " " * 32 + "Second stage: patents per enterprise (0: none). [default: 0]"


def test_words_are_never_split_at_a_hyphen():
    text = _help(["stats", "outbound"], 50)
    assert re.search(r"-\s*\n", text.replace("─", "")) is None


def test_text_joins_prose_lines_but_keeps_lines_laid_out_by_hand():
    formatter = PanelHelpFormatter(width=30)
    formatter.write_text("A paragraph written over\ntwo source lines.\n\n- one bullet that is long\n- two\n\n"
                         "\b\nkept   as\nit is")
    assert formatter.getvalue() == (
        "A paragraph written over two\nsource lines.\n\n"
        "- one bullet that is long\n- two\n\n"
        "kept   as\nit is\n"
    )


def test_a_section_is_framed_to_the_formatters_width():
    formatter = PanelHelpFormatter(width=24)
    with formatter.section("Options"):
        formatter.write_dl([("--a A", "first option, wrapped over lines"), ("--b", "")])
    assert formatter.getvalue() == (
        "╭─ Options ────────────╮\n"
        "│ --a A  first option, │\n"
        "│        wrapped over  │\n"
        "│        lines         │\n"
        "│ --b                  │\n"
        "╰──────────────────────╯\n"
    )


def test_a_usage_error_is_clicks_plain_text_without_a_panel():
    result = CliRunner().invoke(app, ["stats", "outbound", "--bogus"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1].startswith("Error: No such option: --bogus")
    assert "╭" not in result.output
