"""Engine adapters: each hands back an Ibis backend over the same warehouse tables.

``connect(warehouse, "duckdb")`` (the default) or ``connect(warehouse, "spark",
master="spark://...")``. Capabilities that Ibis does not hide are in ``capabilities.py``. The
engine modules are imported on demand, so using DuckDB never loads PySpark; and ``Engine``,
``MissingTable`` and the view lists load Ibis on first use only (``patentreach.model.lazy_exports``),
so ``ENGINES`` and ``CAPABILITIES`` cost nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from patentreach.model.lazy_exports import export_lazily
from patentreach.warehouse.engines.capabilities import CAPABILITIES, Capabilities

if TYPE_CHECKING:
    from patentreach.warehouse.engines.engine import DERIVED_VIEWS, PATENT_VIEWS, Engine, MissingTable
    from patentreach.warehouse.layout import Warehouse

ENGINES = tuple(CAPABILITIES)

__getattr__, __dir__ = export_lazily(__name__, {"engine": ("DERIVED_VIEWS", "PATENT_VIEWS", "Engine", "MissingTable")})


def connect(warehouse: Warehouse, engine: str = "duckdb", **options: Any) -> Engine:
    """Open ``engine`` over ``warehouse``; ``options`` go to the engine's own ``connect``."""
    if engine == "duckdb":
        from patentreach.warehouse.engines import duckdb_engine

        return duckdb_engine.connect(warehouse, **options)
    if engine == "spark":
        from patentreach.warehouse.engines import spark_engine

        return spark_engine.connect(warehouse, **options)
    raise ValueError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")


__all__ = ["CAPABILITIES", "DERIVED_VIEWS", "ENGINES", "PATENT_VIEWS", "Capabilities", "Engine", "MissingTable",
           "connect"]
