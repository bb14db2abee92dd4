"""Top-level commands built when they are used, so ``patentreach --help`` does not build them all.

Why: Typer turns every command function into a click command when the CLI starts, reading each
function's signature and evaluating its (string) annotations twice. For the fifty-odd commands
of patentreach that was the largest single cost of ``patentreach --help`` (0.18 s of about 0.6 s
on a loaded 2-core machine, more than importing Typer and Rich). Here the root group holds each
top-level command as a ``module:attribute`` reference (:class:`Entry`) and builds it on first
use, through Typer's own builders, so a built command is exactly what ``app.command()`` or
``app.add_typer()`` would have made. ``patentreach stats outbound`` builds the ``stats`` group
only; the root's help lists each command from a parameterless stub carrying its help text.

Commands registered on the Typer app the ordinary way still work (built eagerly, listed first).
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True)
class Entry:
    """One top-level command: its name and where it lives (``"package.module:attribute"``).

    The attribute is either a command function (as given to ``app.command(name)``) or a
    ``typer.Typer`` (as given to ``app.add_typer(sub, name=name)``).
    """

    name: str
    target: str

    def load(self) -> Any:
        module, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module), attribute)

    def build(self, parent: TyperGroup) -> typer.core.click.Command:
        """The click command Typer would have built for this entry under ``parent``."""
        from typer.main import get_command_from_info, get_group_from_info
        from typer.models import CommandInfo, TyperInfo

        target = self.load()
        if isinstance(target, typer.Typer):
            return get_group_from_info(
                TyperInfo(target, name=self.name),
                pretty_exceptions_short=getattr(parent, "pretty_exceptions_short", True),
                suggest_commands=getattr(parent, "suggest_commands", True),
                rich_markup_mode=parent.rich_markup_mode,
            )
        return get_command_from_info(
            CommandInfo(name=self.name, callback=target),
            pretty_exceptions_short=getattr(parent, "pretty_exceptions_short", True),
            rich_markup_mode=parent.rich_markup_mode,
        )

    def stub(self) -> TyperCommand:
        """A command with this entry's name and help but no parameters: enough for a help list.

        The help is read from the module's source when it is a plain docstring or a literal
        ``typer.Typer(help=...)`` (so listing the commands imports none of them), else from the
        loaded object.
        """
        fields = static_help(self) or self.loaded_help()
        return TyperCommand(self.name, **fields)

    def loaded_help(self) -> dict[str, Any]:
        """The help fields Typer would use, taken from the imported command or group."""
        target = self.load()
        if isinstance(target, typer.Typer):
            from typer.main import solve_typer_info_defaults
            from typer.models import TyperInfo

            info = solve_typer_info_defaults(TyperInfo(target, name=self.name))
            return {"help": info.help, "short_help": info.short_help, "hidden": bool(info.hidden),
                    "deprecated": bool(info.deprecated), "rich_help_panel": info.rich_help_panel}
        return {"help": inspect.getdoc(target)}


_TYPER_HELP_FIELDS = ("help", "short_help", "hidden", "deprecated", "rich_help_panel")


def static_help(entry: Entry) -> dict[str, Any] | None:
    """``entry``'s help fields read from its module's source without importing it, or None.

    A command function gives its docstring; ``name = typer.Typer(...)`` gives its literal
    ``help`` (and ``short_help``, ``hidden``, ``deprecated``, ``rich_help_panel`` if literal).
    Anything else (help built at run time, a callback's docstring) returns None. Only the one
    top-level statement is parsed (parsing whole modules cost more than importing them).
    """
    import ast

    module, _, attribute = entry.target.partition(":")
    statement = _top_level_statement(module, attribute)
    if statement is None:
        return None
    try:
        node = ast.parse(statement).body[0]
    except (SyntaxError, IndexError):
        return None
    if isinstance(node, ast.FunctionDef) and node.name == attribute:
        return {"help": ast.get_docstring(node)}
    if (isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [attribute]
            and isinstance(node.value, ast.Call) and _names_typer(node.value.func)):
        keywords = {k.arg: k.value for k in node.value.keywords if k.arg in _TYPER_HELP_FIELDS}
        if "help" not in keywords or not all(isinstance(v, ast.Constant) for v in keywords.values()):
            return None
        fields = {name: value.value for name, value in keywords.items()}  # type: ignore[attr-defined]
        fields["help"] = inspect.cleandoc(fields["help"])
        return {"short_help": None, "hidden": False, "deprecated": False, "rich_help_panel": None, **fields}
    return None


def _top_level_statement(module: str, attribute: str) -> str | None:
    """The source of ``def attribute(...)`` or ``attribute = ...`` at the top of ``module``."""
    import re

    source = _source(module)
    if source is None:
        return None
    found = re.search(rf"^(?:def {re.escape(attribute)}\(|{re.escape(attribute)} = )", source, re.MULTILINE)
    if found is None:
        return None
    lines = source[found.start():].split("\n")
    end = next((number for number, line in enumerate(lines[1:], 1)
                if line and not line[0].isspace() and not line.startswith((")", "]", "}"))), len(lines))
    return "\n".join(lines[:end])


@functools.cache
def _source(module: str) -> str | None:
    from importlib.util import find_spec

    spec = find_spec(module)
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    with open(spec.origin, encoding="utf-8") as source:
        return source.read()


def _names_typer(func: Any) -> bool:
    return getattr(func, "attr", getattr(func, "id", None)) == "Typer"


class LazyCommands(MutableMapping[str, Any]):
    """The root group's ``commands``: names known at once, each command built on first lookup."""

    def __init__(self, parent: TyperGroup, built: dict[str, Any], entries: tuple[Entry, ...],
                 finish: Callable[[Any], None]) -> None:
        self._parent = parent
        self._built = dict(built)
        self._entries = {entry.name: entry for entry in entries if entry.name not in built}
        self._finish = finish
        self._stubs: dict[str, Any] = {}
        self.stubs = False

    def __getitem__(self, name: str) -> Any:
        if name in self._built:
            return self._built[name]
        entry = self._entries[name]
        if self.stubs:
            if name not in self._stubs:
                self._stubs[name] = entry.stub()
                self._finish(self._stubs[name])
            return self._stubs[name]
        command = self._built[name] = entry.build(self._parent)
        self._finish(command)
        return command

    def __setitem__(self, name: str, command: Any) -> None:
        self._entries.pop(name, None)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        if name in self._built:
            del self._built[name]
        else:
            del self._entries[name]

    def __iter__(self) -> Iterator[str]:
        yield from self._built
        yield from (name for name in self._entries if name not in self._built)

    def __len__(self) -> int:
        return len(set(self._built) | set(self._entries))

    def __contains__(self, name: object) -> bool:
        return name in self._built or name in self._entries

    @contextmanager
    def listing(self) -> Iterator[None]:
        """While open, unbuilt commands are looked up as stubs (for the root's help list)."""
        self.stubs = True
        try:
            yield
        finally:
            self.stubs = False


class LazyGroup(TyperGroup):
    """A group whose commands may be a :class:`LazyCommands`: listing their names builds none."""

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(self.commands)


def make_lazy(group: TyperGroup, entries: tuple[Entry, ...], finish: Callable[[Any], None]) -> LazyCommands:
    """Replace ``group.commands`` by a :class:`LazyCommands` over ``entries`` (after any built ones)."""
    commands = LazyCommands(group, dict(group.commands), entries, finish)
    group.commands = commands
    return commands
