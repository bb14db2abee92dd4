"""The warehouse: a directory of Parquet datasets (one part per ingested file and table), an
ingest log whose entries commit those parts, and DuckDB views that present one current row per
publication. Every capability reads the warehouse through ``connect``."""

from patentreach.warehouse.layout import Warehouse
from patentreach.warehouse.views import connect

__all__ = ["Warehouse", "connect"]
