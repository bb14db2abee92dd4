"""Package ``__init__``s that name their public API without importing it (PEP 562).

Why: a command module that needs one constant (say ``patentreach.indicators.choices``) first runs
its package's ``__init__``; when that ``__init__`` re-exports everything, ``patentreach --help``
pays for Ibis, DuckDB and Splink. With ``export_lazily`` the ``__init__`` only lists which
submodule defines each public name, and the submodule is imported on first use, so
``from patentreach.indicators import outbound`` keeps working and costs nothing until then.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Iterable
from typing import Any


class _PackageWithLazyExports(types.ModuleType):
    """A package whose exported names win over its submodules of the same name.

    Importing a submodule sets it as an attribute of its package; ``harmonize.harmonize`` (the
    function) would then be replaced by ``harmonize.harmonize`` (the module) as soon as anything
    imported that module. The eager ``__init__`` this replaces always gave the function.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        exports = self.__dict__.get("__lazy_exports__", {})
        if name in exports and isinstance(value, types.ModuleType) and value.__name__ == f"{self.__name__}.{name}":
            return
        super().__setattr__(name, value)


def export_lazily(
    package: str, exports: dict[str, Iterable[str]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, given ``{submodule: names it defines}``.

    Use in a package ``__init__``: ``__getattr__, __dir__ = export_lazily(__name__, {...})``.
    """
    module = sys.modules[package]
    where = {name: f"{package}.{submodule}" for submodule, names in exports.items() for name in names}
    module.__dict__["__lazy_exports__"] = where
    module.__class__ = _PackageWithLazyExports

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(where[name]), name)
        module.__dict__[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*module.__dict__, *where})

    return __getattr__, __dir__
