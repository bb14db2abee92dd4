"""The warehouse: a directory of Parquet datasets (one part per ingested file and table), an
ingest log whose entries commit those parts, and DuckDB views that present one current row per
publication. Every capability reads the warehouse through ``connect``.

``Warehouse`` and ``connect`` are imported on first use (``patentreach.model.lazy_exports``), so
``from patentreach.warehouse import Warehouse`` does not load DuckDB.
"""

from typing import TYPE_CHECKING

from patentreach.model.lazy_exports import export_lazily

if TYPE_CHECKING:
    from patentreach.warehouse.layout import Warehouse
    from patentreach.warehouse.views import connect

__getattr__, __dir__ = export_lazily(__name__, {"layout": ("Warehouse",), "views": ("connect",)})

__all__ = ["Warehouse", "connect"]
