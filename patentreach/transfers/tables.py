"""The warehouse tables the transfer statistics read, as Ibis tables of any engine.

``TransferTables.from_engine`` takes them from an engine adapter
(``patentreach.warehouse.engines``): DuckDB over the warehouse views, or Spark. Nothing here
knows which engine it runs on; the statistics are Ibis expressions over these tables.

Several statistics share derived tables (every party's resolved country, every patent's field).
``shared`` builds each once per ``TransferTables`` and, where the engine's capability row says it
pays (``cache_shared_base``), materialises it, so that a report of several figures computes them
once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TRANSFER_VIEWS = ("transfers", "transfer_parties", "transfer_properties")
PATENT_VIEWS = ("publications", "parties", "classifications")


@dataclass(frozen=True)
class TransferTables:
    transfers: Any
    transfer_parties: Any
    transfer_properties: Any
    publications: Any
    parties: Any
    classifications: Any
    cache_shared: bool = False
    _shared: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_engine(cls, engine: Any, cache: bool = False) -> TransferTables:
        """The current copy of each table from an open ``Engine`` (``MissingTable`` if absent).

        ``cache`` materialises the shared derived tables where the engine's capability row says
        it pays. It is off by default: with sqlglot 30, Ibis 12 writes ``DROP TABLE IF EXISTS``
        without the table name when it releases a cached table (DuckDB then reports a syntax
        error at exit); turn it on once the installed versions agree.
        """
        tables = {name: engine.table(name) for name in TRANSFER_VIEWS + PATENT_VIEWS}
        return cls(**tables, cache_shared=cache and bool(engine.capabilities.cache_shared_base))

    def shared(self, name: str, build: Callable[[TransferTables], Any]) -> Any:
        """The derived table ``name``, built once (and cached in the engine where that pays)."""
        if name not in self._shared:
            expr = build(self)
            self._shared[name] = expr.cache() if self.cache_shared else expr
        return self._shared[name]
