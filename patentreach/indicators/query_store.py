"""Compiled indicator queries kept on disk, so a figure's first run in a new process skips Ibis.

Why: ``compiled.py`` keeps each figure's SQL for the life of a process, which serves the web
service and a bulletin; a one-off ``patentreach stats outbound`` still built and compiled its
Ibis expressions every time (about 70 ms per indicator, issue #20). Here the compiled SQL and
its result schema are also written to a small JSON file per figure, read back by the next
process that asks for the same figure.

Never stale: an entry's name is a digest of everything the SQL depends on: the in-process key
(spec, fact source, engine, warehouse place and content: ``compiled.engine_key``), the versions
of Ibis, sqlglot, DuckDB and Python, the code that builds the expressions (size and modification
time of every file of ``patentreach.indicators``, ``.warehouse``, ``.refdata`` and ``.model``)
and the user's reference-table overrides (``PATENTREACH_REFDATA``); the entry repeats the key,
and is used only if it matches. Safe on damage: an entry that cannot be read, parsed or
typed is ignored and written again; one whose SQL fails is dropped and the figure is compiled
afresh (``compiled.run_query``). Writes are atomic (a temporary file renamed), and a store that
cannot be written (read-only, full) is simply not used.

Beside the queries, in the sub-folder ``values/``: values computed from the warehouse's content
that a figure's first run would otherwise compute again, the counts behind its notes
(``explanations._selection_counts``), under a key naming that content (the warehouse
fingerprint and the prepared tables' files). Each entry also holds its result's Arrow schema,
so a kept query is typed without parsing Ibis type names (``compiled.CompiledQuery``).

Where: ``$PATENTREACH_QUERY_CACHE`` (a folder, or ``off``), else the user's cache folder
(``$XDG_CACHE_HOME/patentreach/queries``, by default ``~/.cache/patentreach/queries``), not the
warehouse: readers of a warehouse (the web service) never write into it. At most
:data:`MAX_ENTRIES` files are kept, the oldest dropped.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Hashable
from pathlib import Path
from typing import Any

ENV_VAR = "PATENTREACH_QUERY_CACHE"
MAX_ENTRIES = 2048
FORMAT = 2  # 2: the result's Arrow schema beside its Ibis type names
# The packages whose code shapes the SQL of a figure (expressions, views, reference tables, model).
CODE_PACKAGES = ("indicators", "warehouse", "refdata", "model")
# The library behind each engine (loaded whenever that engine is connected).
ENGINE_LIBRARIES = {"duckdb": "duckdb", "spark": "pyspark"}


def store_dir() -> Path | None:
    """The folder of the store, or None when it is switched off."""
    value = os.environ.get(ENV_VAR, "").strip()
    if value.lower() == "off":
        return None
    if value:
        return Path(value)
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "patentreach" / "queries"


def load(engine: Any, key: Hashable) -> Any | None:
    """The ``CompiledQuery`` kept for ``key`` on ``engine``, or None (absent, unreadable, another key)."""
    path = _entry_path(engine, key)
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            entry = json.load(handle)
        if entry.get("format") != FORMAT or entry.get("key") != repr(key) or not isinstance(entry.get("sql"), str):
            return None
        import pyarrow as pa

        from patentreach.indicators.compiled import CompiledQuery

        arrow = pa.ipc.read_schema(pa.py_buffer(base64.b64decode(entry["arrow"])))
        text = tuple((str(name), str(dtype)) for name, dtype in entry["schema"])
        if arrow.names != [name for name, _ in text]:
            return None
        return CompiledQuery(entry["sql"], stored=True, schema_text=text, arrow=arrow)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged entry: ignored, and written again after compiling
        return None


def save(engine: Any, key: Hashable, query: Any) -> None:
    """Keep ``query`` for ``key`` on ``engine`` (nothing happens when its schema does not survive
    the trip through text, or the store cannot be written)."""
    path = _entry_path(engine, key)
    if path is None:
        return
    try:
        import ibis

        schema = [[name, str(dtype)] for name, dtype in query.schema.items()]
        if ibis.schema({name: ibis.dtype(dtype) for name, dtype in schema}) != query.schema:
            return
        arrow = base64.b64encode(query.arrow.serialize().to_pybytes()).decode("ascii")
    except Exception:  # (a type that does not survive the trip: not kept)
        return
    _write(path, {"format": FORMAT, "key": repr(key), "sql": query.sql, "schema": schema, "arrow": arrow})


def _write(path: Path, entry: dict[str, Any]) -> None:
    """Write ``entry`` at ``path`` atomically (a temporary file renamed); a store that cannot be
    written (read-only, full) is left as it is."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp",
                                         delete=False) as handle:
            json.dump(entry, handle)
        os.replace(handle.name, path)
        _prune(path.parent)
    except Exception:  # (a read-only or full disk: the store is only a shortcut)
        _remove(locals().get("handle"))


VALUES = "values"  # the sub-folder of the kept values


def load_value(engine: Any, key: Hashable) -> Any | None:
    """The JSON value kept for ``key`` on ``engine`` (``save_value``), or None. For figures
    computed from the warehouse's content, such as the counts behind a result's notes, whose
    ``key`` names that content (``compiled.engine_key``'s fingerprint, the fact tables' files).
    Kept in their own sub-folder, pruned on its own."""
    path = _entry_path(engine, key, VALUES)
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            entry = json.load(handle)
        if entry.get("format") != FORMAT or entry.get("key") != repr(key) or "value" not in entry:
            return None
        return entry["value"]
    except Exception:  # absent or damaged: computed again, and written again
        return None


def save_value(engine: Any, key: Hashable, value: Any) -> None:
    """Keep the JSON-serialisable ``value`` for ``key`` on ``engine`` (nothing when the store
    cannot be written)."""
    path = _entry_path(engine, key, VALUES)
    if path is not None:
        _write(path, {"format": FORMAT, "key": repr(key), "value": value})


def discard(engine: Any, key: Hashable) -> None:
    """Drop the entry of ``key`` on ``engine`` (its SQL failed)."""
    path = _entry_path(engine, key)
    if path is not None:
        _remove_path(path)


def _entry_path(engine: Any, key: Hashable, kind: str = "") -> Path | None:
    folder = store_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(f"{FORMAT}\n{code_version(engine)}\n{key!r}".encode()).hexdigest()
    return (folder / kind if kind else folder) / f"{digest[:40]}.json"


@functools.cache
def _package_stamp() -> str:
    """Size and modification time of every file of the packages that shape the SQL."""
    root = str(Path(__file__).resolve().parent.parent)
    digest = hashlib.sha256()
    for package in CODE_PACKAGES:
        for folder, folders, files in os.walk(os.path.join(root, package)):
            folders[:] = sorted(f for f in folders if f != "__pycache__")
            relative = folder[len(root) + 1:]  # (os.path.relpath took 40% of the walk)
            for name in sorted(files):
                stat = os.stat(os.path.join(folder, name))
                digest.update(f"{relative}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def code_version(engine: Any) -> str:
    """What, besides the key, a kept query depends on: the versions of Python, Ibis, sqlglot and
    the engine's own library, the code, the reference-table overrides."""
    import ibis
    import sqlglot

    engine_library = ENGINE_LIBRARIES.get(getattr(engine, "name", ""), "")
    parts = [sys.version, _package_stamp(), f"ibis {ibis.__version__}", f"sqlglot {sqlglot.__version__}",
             f"{engine_library} {getattr(sys.modules.get(engine_library), '__version__', '-')}"]
    overrides = os.environ.get("PATENTREACH_REFDATA", "").strip()
    if overrides and os.path.isdir(overrides):
        for name in sorted(os.listdir(overrides)):
            stat = os.stat(os.path.join(overrides, name))
            parts.append(f"{overrides}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(parts)


def _prune(folder: Path) -> None:
    entries = [entry for entry in os.scandir(folder) if entry.name.endswith(".json")]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
    for entry in entries[: len(entries) - MAX_ENTRIES]:
        _remove_path(Path(entry.path))


def _remove(handle: Any) -> None:
    if handle is not None:
        _remove_path(Path(handle.name))


def _remove_path(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
