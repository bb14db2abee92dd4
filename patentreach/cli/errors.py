"""The floor under every command: whatever escapes a command becomes ONE line on stderr, never a
traceback (unless ``--debug``), so a statistician never has to read Python to learn that the disk
is full.

Commands still raise their own specific, one-line errors (file, record, field); this is only the
last line of defence. Exit codes: 0 success, 1 failure (this floor, or a command's own), 2 usage
error (click's own, or a command's bad value), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import difflib
import errno
import os
import sys
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

DEBUG_VARIABLE = "PATENTREACH_DEBUG"
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

# OSError numbers whose own wording is unclear or too long for a statistician.
_OS_WORDS = {
    errno.ENOSPC: "disk full (errno 28) writing",
    errno.EROFS: "read-only file system:",
    errno.EACCES: "permission denied:",
    errno.EPERM: "operation not permitted:",
    errno.ENOENT: "no such file or directory:",
    errno.EISDIR: "is a directory:",
    errno.ENOTDIR: "not a directory:",
    errno.EDQUOT: "disk quota exceeded (errno 122) writing",
    errno.EMFILE: "too many open files:",
}


def describe(exc: BaseException) -> str:
    """One line saying what went wrong, naming the file or path the exception carries."""
    if isinstance(exc, OSError):
        return _describe_os_error(exc)
    if isinstance(exc, MemoryError):
        return "out of memory (try a smaller input, or lift fewer limits)"
    text = _first_line(str(exc))
    if _is_expected(exc):
        return text or type(exc).__name__
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


def _describe_os_error(exc: OSError) -> str:
    path = exc.filename
    where = os.fsdecode(path) if path is not None else None
    if exc.filename2 is not None:
        where = f"{where} -> {os.fsdecode(exc.filename2)}"
    words = _OS_WORDS.get(exc.errno) if exc.errno is not None else None
    if words is None:
        reason = _first_line(exc.strerror or str(exc)) or type(exc).__name__
        words = f"{reason} (errno {exc.errno})" if exc.errno is not None else reason
        return f"{words}: {where}" if where else words
    if where:
        return f"{words} {where}"
    return words.rstrip(":").removesuffix(" writing")


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def debug_requested(ctx: typer.Context | None) -> bool:
    """``--debug`` on the root command, or ``PATENTREACH_DEBUG=1`` in the environment."""
    if os.environ.get(DEBUG_VARIABLE, "").strip().lower() in {"1", "true", "yes", "on"}:
        return True
    while ctx is not None:
        if ctx.params.get("debug"):
            return True
        ctx = ctx.parent
    return False


def print_error(message: str) -> None:
    """``error: <message>`` on stderr; plain text so it survives pipes and log files."""
    print(f"error: {message}", file=sys.stderr, flush=True)


def print_note(message: str) -> None:
    """``note: <message>`` on stderr: something the user should know that is not a failure."""
    print(f"note: {message}", file=sys.stderr, flush=True)


# Exceptions that already carry their exit code and message: click's usage errors (exit 2; a
# TyperException since typer bundles click), typer.Exit / Abort raised on purpose, and SystemExit.
_PASS_THROUGH: tuple[type[BaseException], ...] = (typer.Exit, typer.Abort, TyperException, SystemExit)


class GuardedGroup(TyperGroup):
    """The root command group: runs the chosen command inside the floor."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except _PASS_THROUGH:
            raise
        except KeyboardInterrupt:
            if debug_requested(ctx):
                raise
            print_error("interrupted")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as exc:
            if debug_requested(ctx):
                raise
            if _is_interruption(exc):
                print_error("interrupted")
                raise typer.Exit(EXIT_INTERRUPTED) from None
            hint = "" if _is_expected(exc) else " (a bug: please report it with the output of --debug)"
            print_error(describe(exc) + hint)
            raise typer.Exit(EXIT_FAILURE) from None


def _is_interruption(exc: BaseException) -> bool:
    """Ctrl-C while DuckDB runs a statement arrives as DuckDB's InterruptException, or from some
    statements (COPY) as a RuntimeError saying "Query interrupted"."""
    name = type(exc).__name__
    return name == "InterruptException" or (isinstance(exc, RuntimeError) and str(exc).strip() == "Query interrupted")


# DuckDB's errors about the machine (its own classes, not OSError); named, so duckdb is not imported.
_DUCKDB_MACHINE_ERRORS = {"IOException", "OutOfMemoryException", "PermissionException"}


def _is_expected(exc: BaseException) -> bool:
    """Conditions of the machine or the input, not bugs in patentreach."""
    if isinstance(exc, OSError | MemoryError):
        return True
    if type(exc).__module__.lstrip("_").startswith("duckdb") and type(exc).__name__ in _DUCKDB_MACHINE_ERRORS:
        return True
    return isinstance(exc, ValueError | LookupError) and type(exc).__module__.startswith("patentreach")


def usage_error(message: str, choices: tuple[str, ...] | list[str] = (), given: str | None = None) -> NoReturn:
    """A bad value on the command line: one line naming the valid choices (and the closest one),
    exit 2, as click does for its own usage errors."""
    if choices:
        message += f"; choose from {', '.join(choices)}"
        close = difflib.get_close_matches(given, choices, n=1) if given else []
        if close:
            message += f" (did you mean {close[0]}?)"
    print_error(message)
    raise typer.Exit(EXIT_USAGE)
