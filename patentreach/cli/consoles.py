"""Rich's console, tables and text, imported when a command first prints with them.

Why: importing ``rich.console`` costs about 0.08 s on a quiet machine (its markup, styles,
colours, segments, themes), a quarter of the 0.3 s a command may take to start (issue #20),
and a command module that printed its tables with Rich imported it at the top, so
``patentreach stats outbound --help`` paid for a console it never used. Command modules import
the names below from here instead of from Rich: each stands for Rich's own class or function
and imports Rich on first use, so ``--help``, a usage error or a command that writes a file
never load it.

* ``Console``, ``Table``, ``Text``: calling one makes Rich's object (``Table(...)`` is a
  ``rich.table.Table``); attributes are Rich's (``Text.assemble``).
* ``escape``: ``rich.markup.escape``.
* ``lazy_console(**options)``: a module-level console (``console = lazy_console()``) made on
  first use with these options: every attribute, assignment and ``with`` goes to a real
  ``rich.console.Console``, which therefore reads the terminal when the command prints, not
  when the module is imported.
"""

from __future__ import annotations

import importlib
from typing import Any


class _Deferred:
    """Rich's ``module.name``, imported on first use."""

    def __init__(self, module: str, name: str) -> None:
        self._module, self._name = module, name

    def resolve(self) -> Any:
        return getattr(importlib.import_module(self._module), self._name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        return getattr(self.resolve(), attribute)

    def __repr__(self) -> str:
        return f"<deferred {self._module}.{self._name}>"


Console: Any = _Deferred("rich.console", "Console")
Table: Any = _Deferred("rich.table", "Table")
Text: Any = _Deferred("rich.text", "Text")
escape: Any = _Deferred("rich.markup", "escape")


class _LazyConsole:
    """A ``rich.console.Console(**options)`` made on first use; everything else is forwarded."""

    def __init__(self, **options: Any) -> None:
        object.__setattr__(self, "_options", options)
        object.__setattr__(self, "_console", None)

    def real(self) -> Any:
        """The Rich console itself (made now if not yet)."""
        console = object.__getattribute__(self, "_console")
        if console is None:
            from rich.console import Console as RichConsole

            console = RichConsole(**object.__getattribute__(self, "_options"))
            object.__setattr__(self, "_console", console)
        return console

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.real(), attribute)

    def __setattr__(self, attribute: str, value: Any) -> None:
        setattr(self.real(), attribute, value)

    def __enter__(self) -> Any:
        return self.real().__enter__()

    def __exit__(self, *exc: Any) -> Any:
        return self.real().__exit__(*exc)

    def __repr__(self) -> str:
        return f"<lazy console {object.__getattribute__(self, '_options')!r}>"


def lazy_console(**options: Any) -> Any:
    """A module-level console that imports Rich when it first prints."""
    return _LazyConsole(**options)
