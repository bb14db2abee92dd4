"""Every command's help reads cleanly, and the option vocabulary is one language across the app:
``--out``/``-o`` is the output file, ``--format``/``-f`` the output format, ``--warehouse``/``-w``
the warehouse, ``--engine`` and ``--exports`` have no ``-e``, a short option means one thing."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
import typer
from typer.testing import CliRunner

from patentreach.cli.main import app

runner = CliRunner(env={"COLUMNS": "200"})

# Commands this part owns; the others adopt the vocabulary in their own branches.
OWN_COMMANDS = {"", "info", "query", "demo", "synth", "refdata", "refdata list", "refdata show"}
TYPE_LABEL = re.compile(
    r"<(bool|str|int|float|path|Path|datetime|uuid|UUID|list\[[^>]*\]|\w+ range)>"
    r"|\b(TEXT|INTEGER|FLOAT|BOOLEAN|BOOL|STR|INT|FILENAME|UUID)\b"
)
CLICK_TYPES = {"TEXT", "INTEGER", "FLOAT", "BOOLEAN", "FILENAME", "UUID", "DIRECTORY", "FILE"}
OUTPUT_NAMES = {"--output", "--output-file", "--output-dir", "--outfile", "--dest", "--destination-file"}


def _commands(command=None, path=()):
    command = command or typer.main.get_command(app)
    yield " ".join(path), command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _commands(sub, (*path, name))


ALL_COMMANDS = dict(_commands())


def _visible_options(command):
    return [p for p in command.params if isinstance(p, typer.core.TyperOption) and not p.hidden]


def _shorts(option) -> list[str]:
    return [o for o in [*option.opts, *option.secondary_opts] if o.startswith("-") and not o.startswith("--")]


def test_the_walk_finds_every_command():
    assert {"", "ingest", "info", "query", "demo", "synth", "refdata list", "stats outbound",
            "survey sample", "protect gaps", "harmonize"} <= set(ALL_COMMANDS)
    assert len(ALL_COMMANDS) >= 25


@pytest.mark.parametrize("path", sorted(ALL_COMMANDS))
def test_help_exits_0_and_shows_no_type_labels(path):
    result = runner.invoke(app, [*path.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert TYPE_LABEL.search(result.output) is None, TYPE_LABEL.search(result.output).group(0)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("path", sorted(ALL_COMMANDS))
def test_no_parameter_labels_itself_with_a_type(path):
    command = ALL_COMMANDS[path]
    context = typer.Context(command)
    labels = {p.name: p.display_type_rich(ctx=context) or "" for p in command.get_params(context)}
    assert {name: label for name, label in labels.items() if label.startswith("<") or label in CLICK_TYPES} == {}


def _vocabulary_problems(path: str, command) -> list[str]:
    problems = []
    for option in _visible_options(command):
        longs = [o for o in option.opts if o.startswith("--")]
        if "-e" in _shorts(option):
            problems.append(f"{path}: {longs} has the short option -e")
        if "--engine" in longs and _shorts(option):
            problems.append(f"{path}: --engine has a short form {_shorts(option)}")
        if OUTPUT_NAMES & set(longs):
            problems.append(f"{path}: visible output option {longs}; call it --out")
        if "-o" in _shorts(option) and longs != ["--out"]:
            problems.append(f"{path}: -o means {longs}, not --out")
        if "--format" in longs and "reader" in (option.help or "").lower():
            problems.append(f"{path}: --format forces a reader; --format is the output format")
        if "--format" in longs and _shorts(option) not in ([], ["-f"]):
            problems.append(f"{path}: --format has the short form {_shorts(option)}, not -f")
        if "--warehouse" in longs and _shorts(option) not in ([], ["-w"]):
            problems.append(f"{path}: --warehouse has the short form {_shorts(option)}, not -w")
    return problems


@pytest.mark.parametrize("path", sorted(OWN_COMMANDS))
def test_own_commands_speak_the_vocabulary(path):
    assert _vocabulary_problems(path, ALL_COMMANDS[path]) == []


def test_every_command_speaks_the_vocabulary():
    problems = [p for path, command in ALL_COMMANDS.items() for p in _vocabulary_problems(path, command)]
    assert problems == []


def test_a_short_option_means_one_thing_across_commands():
    meanings: dict[str, set[str]] = defaultdict(set)
    for _path, command in ALL_COMMANDS.items():
        for option in _visible_options(command):
            long = next((o for o in option.opts if o.startswith("--")), option.name)
            for short in _shorts(option):
                meanings[short].add(long)
    # -n is "how many" everywhere: rows listed (--limit) or units drawn (survey sample --size).
    assert {short: sorted(longs) for short, longs in meanings.items() if len(longs) > 1 and short != "-n"} == {}
    assert meanings["-n"] == {"--limit", "--size"}


def test_query_takes_out_and_format_with_short_forms():
    options = {o.opts[0]: o for o in _visible_options(ALL_COMMANDS["query"])}
    assert options["--out"].opts == ["--out", "-o"]
    assert options["--format"].opts == ["--format", "-f"]
    assert options["--warehouse"].opts == ["--warehouse", "-w"]


def test_demo_out_has_the_short_form_o():
    options = {o.opts[0]: o for o in _visible_options(ALL_COMMANDS["demo"])}
    assert options["--out"].opts == ["--out", "-o"]
