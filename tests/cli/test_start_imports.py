"""The CLI starts at once (issue #20): importing it, its help and a command's help load no heavy
library, and the root's help builds none of its commands."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer

from patentreach.cli.lazy_commands import LazyCommands, static_help
from patentreach.cli.main import COMMANDS, app

# Libraries a command may use, never needed to start the CLI or print any help.
HEAVY = ("ibis", "pyspark", "splink", "sqlalchemy", "pandas", "scipy", "numpy", "duckdb", "pyarrow", "polars",
         "statsmodels", "weasyprint", "fastapi", "starlette", "uvicorn", "jinja2", "babel", "altair", "vl_convert",
         "lxml", "psycopg", "pydantic", "httpx", "requests")
# The only project modules `import patentreach.cli.main` runs.
START_MODULES = ["patentreach", "patentreach.cli", "patentreach.cli.errors", "patentreach.cli.help_labels",
                 "patentreach.cli.help_panels", "patentreach.cli.lazy_commands", "patentreach.cli.main"]
# Rich (its console, tables, Markdown with markdown-it, tracebacks with Pygments) is for the
# commands that print tables or progress bars, not for starting the CLI or printing help.
RICH = ("rich", "typer.rich_utils", "markdown_it", "pygments")

RUN = """
import io, contextlib, json, sys
sys.argv = ['patentreach', *{args!r}]
from patentreach.cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit:
        pass
print(json.dumps(sorted(sys.modules)))
"""


def _modules_after(args: list[str] | None) -> set[str]:
    code = "import json, sys, patentreach.cli.main; print(json.dumps(sorted(sys.modules)))" if args is None \
        else RUN.format(args=args)
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(json.loads(output.strip().splitlines()[-1]))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(name for name in HEAVY if name in modules)


@pytest.fixture(scope="module")
def at_import() -> set[str]:
    return _modules_after(None)


def test_importing_the_cli_loads_no_heavy_library(at_import):
    assert _heavy(at_import) == []


def test_importing_the_cli_runs_only_the_root_and_its_helpers(at_import):
    assert sorted(m for m in at_import if m.startswith("patentreach")) == START_MODULES


def test_importing_the_cli_does_not_read_package_metadata(at_import):
    # importlib.metadata (with email, socket, zipfile) cost 0.05-0.13 s; only --version needs it.
    assert "importlib.metadata" not in at_import


def test_the_root_help_imports_no_command_module():
    modules = _modules_after(["--help"])
    assert sorted(m for m in modules if m.startswith("patentreach")) == START_MODULES
    assert _heavy(modules) == []


def test_importing_the_cli_and_its_root_help_load_no_rich(at_import):
    assert sorted(m for m in RICH if m in at_import) == []
    assert sorted(m for m in RICH if m in _modules_after(["--help"])) == []


@pytest.mark.parametrize("args", [["info", "--help"], ["stats", "outbound", "--help"]])
def test_a_commands_help_loads_no_heavy_library_not_even_pydantic(args):
    # Typer checks an unset --help through a Pydantic adapter unless its default is a bool.
    assert _heavy(_modules_after(args)) == []


@pytest.mark.parametrize("args", [["ingest", "--help"], ["stats", "outbound", "--help"], ["survey", "sample", "--help"],
                                  ["protect", "gaps", "--help"]])
def test_a_commands_help_loads_no_rich(args):
    # (command modules print through cli/consoles.py, which imports Rich on the first print)
    assert sorted(m for m in RICH if m in _modules_after(args)) == []


@pytest.mark.parametrize("entry", COMMANDS, ids=lambda entry: entry.name)
def test_the_help_read_from_source_equals_the_help_of_the_loaded_command(entry):
    assert static_help(entry) == entry.loaded_help()


def test_listing_the_root_commands_builds_none_of_them():
    group = typer.main.get_command(app)
    assert isinstance(group.commands, LazyCommands)
    assert group.list_commands(typer.Context(group)) == [entry.name for entry in COMMANDS]
    assert group.commands._built == {}


def test_a_command_is_built_once_and_labelled_when_first_looked_up():
    group = typer.main.get_command(app)
    stats = group.get_command(typer.Context(group), "stats")
    assert group.get_command(typer.Context(group), "stats") is stats
    assert list(group.commands._built) == ["stats"]
    outbound = stats.commands["outbound"]
    assert all(p.metavar is not None for p in outbound.params if isinstance(p, typer.core.TyperOption))
