"""The tables indicator code reads, and the engine it needs them from.

Indicators see an engine only through ``EngineLike``: a way to get Ibis tables by name, its
capability row, and (for ``prepare``) a way to write a derived table. Nothing here imports an
engine module, so ``patentreach.indicators`` loads neither DuckDB nor PySpark.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

# Inputs: the current patent tables (warehouse views) and the harmonisation tables.
INPUT_TABLES = ("publications", "classifications", "priorities", "technology_fields", "origin_shares", "entities")


class EngineLike(Protocol):
    name: str
    capabilities: Any
    backend: Any

    def table(self, name: str) -> Any: ...
    def has_table(self, name: str) -> bool: ...
    def write_derived(self, name: str, exprs: list[Any]) -> Path: ...
    def fingerprint(self) -> str: ...
    def partition(self, index: int, count: int) -> Any: ...

    @property
    def derived_dir(self) -> Path: ...
