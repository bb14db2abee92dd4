"""The floor under every command: one line and exit 1 for anything unexpected, exit 130 on
Ctrl-C, click's usage errors still exit 2, ``--debug`` shows the traceback."""

from __future__ import annotations

import builtins
import errno
import os

import duckdb
import pytest
from typer.testing import CliRunner

import patentreach.refdata.catalogue as catalogue
from patentreach.cli.errors import describe
from patentreach.cli.main import app
from tests.conftest import shared_path

runner = CliRunner(env={"COLUMNS": "200", "PATENTREACH_DEBUG": ""})


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _fail_with(monkeypatch, exc: BaseException) -> None:
    def broken():
        raise exc

    monkeypatch.setattr(catalogue, "list_tables", broken)


def test_an_unexpected_exception_is_one_line_and_exit_1(monkeypatch):
    _fail_with(monkeypatch, RuntimeError("the catalogue went away\nsecond line"))
    result = runner.invoke(app, ["refdata", "list"])
    assert result.exit_code == 1
    assert _lines(result.output) == [
        "error: RuntimeError: the catalogue went away (a bug: please report it with the output of --debug)"
    ]
    assert "Traceback" not in result.output


def test_a_library_value_error_prints_its_own_message(monkeypatch):
    from patentreach.sources.limits import LimitError

    _fail_with(monkeypatch, LimitError("limit max_document_mb: must be positive, got 0"))
    result = runner.invoke(app, ["refdata", "list"])
    assert result.exit_code == 1
    assert _lines(result.output) == ["error: limit max_document_mb: must be positive, got 0"]


def test_disk_full_names_the_file(monkeypatch):
    _fail_with(monkeypatch, OSError(errno.ENOSPC, "No space left on device", "/data/wh/tables/x.parquet"))
    result = runner.invoke(app, ["refdata", "list"])
    assert result.exit_code == 1
    assert _lines(result.output) == ["error: disk full (errno 28) writing /data/wh/tables/x.parquet"]


def test_debug_option_shows_the_traceback(monkeypatch):
    _fail_with(monkeypatch, RuntimeError("boom"))
    result = runner.invoke(app, ["--debug", "refdata", "list"])
    assert isinstance(result.exception, RuntimeError)
    assert result.exit_code == 1


def test_debug_environment_variable_shows_the_traceback(monkeypatch):
    _fail_with(monkeypatch, RuntimeError("boom"))
    result = runner.invoke(app, ["refdata", "list"], env={"PATENTREACH_DEBUG": "1"})
    assert isinstance(result.exception, RuntimeError)


def test_keyboard_interrupt_is_one_line_and_exit_130(monkeypatch):
    _fail_with(monkeypatch, KeyboardInterrupt())
    result = runner.invoke(app, ["refdata", "list"])
    assert result.exit_code == 130
    assert _lines(result.output) == ["error: interrupted"]


def test_usage_errors_still_exit_2_with_clicks_message():
    unknown_option = runner.invoke(app, ["refdata", "list", "--bogus"])
    assert unknown_option.exit_code == 2
    assert "No such option: --bogus" in unknown_option.output
    unknown_command = runner.invoke(app, ["nonsense"])
    assert unknown_command.exit_code == 2
    assert "No such command 'nonsense'" in unknown_command.output
    missing_argument = runner.invoke(app, ["query"])
    assert missing_argument.exit_code == 2
    assert "Missing argument" in missing_argument.output


def test_version_prints_the_package_version():
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"patentreach {version('patentreach')}\n"


def test_read_only_warehouse_is_one_line_naming_the_warehouse(tmp_path, monkeypatch):
    """Tests run as root here, where chmod does not stop writes: the read-only file system is
    simulated where ingest opens its lock file."""
    warehouse = tmp_path / "wh"
    real_open = builtins.open

    def read_only_open(file, mode="r", *args, **kwargs):
        if str(file).startswith(str(warehouse)) and any(flag in mode for flag in "wax+"):
            raise OSError(errno.EROFS, "Read-only file system", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", read_only_open)
    good = shared_path("data", "uspto-grant-xml", "ipgb-biblio", "ipgb20230404.xml")
    result = runner.invoke(app, ["ingest", str(good), "--warehouse", str(warehouse)])
    # ingest's own message (naming the warehouse, exit 2) comes before the floor's.
    assert result.exit_code == 2
    assert _lines(result.output)[-1] == f"error: {warehouse}: cannot write to the warehouse (Read-only file system)"
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("exc", "line"),
    [
        (OSError(errno.EROFS, "Read-only file system", "/wh/.lock"), "read-only file system: /wh/.lock"),
        (OSError(errno.EACCES, "Permission denied", "/wh/x"), "permission denied: /wh/x"),
        (OSError(errno.ENOSPC, "No space left on device"), "disk full (errno 28)"),
        (OSError(errno.EIO, "Input/output error", "/wh/x"), "Input/output error (errno 5): /wh/x"),
        (FileNotFoundError(errno.ENOENT, "No such file", "/a", None, "/b"), "no such file or directory: /a -> /b"),
        (MemoryError(), "out of memory (try a smaller input, or lift fewer limits)"),
        (KeyError("pub_id"), "KeyError: 'pub_id'"),
        (duckdb.IOException('IO Error: Cannot open file "/wh/warehouse.duckdb": Read-only file system'),
         'IO Error: Cannot open file "/wh/warehouse.duckdb": Read-only file system'),
    ],
)
def test_describe_gives_one_line_naming_the_path(exc, line):
    assert describe(exc) == line


def test_ctrl_c_inside_a_duckdb_statement_is_an_interruption_too(monkeypatch):
    _fail_with(monkeypatch, RuntimeError("Query interrupted"))
    result = runner.invoke(app, ["refdata", "list"])
    assert result.exit_code == 130
    assert _lines(result.output) == ["error: interrupted"]
    _fail_with(monkeypatch, duckdb.InterruptException("INTERRUPT Error: Interrupted!"))
    assert runner.invoke(app, ["refdata", "list"]).exit_code == 130


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod; the simulated tests above cover it")
def test_writing_into_a_really_read_only_folder_is_one_line_naming_the_file(tmp_path):
    warehouse = tmp_path / "wh"
    good = shared_path("data", "uspto-grant-xml", "ipgb-biblio", "ipgb20230404.xml")
    assert runner.invoke(app, ["ingest", str(good), "-w", str(warehouse)]).exit_code == 0
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    try:
        result = runner.invoke(app, ["query", "SELECT 1 AS x", "-w", str(warehouse), "-o", str(locked / "x.csv")])
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 1
    assert _lines(result.output) == [f"error: permission denied: {locked / 'x.csv'}"]
