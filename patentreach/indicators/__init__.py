"""Outbound indicators: patents obtained abroad by origin, written once with Ibis.

    from patentreach.warehouse.engines import connect
    from patentreach.indicators import OutboundSpec, outbound, records

    with connect(warehouse) as engine:                    # or connect(warehouse, "spark")
        result = outbound(engine, OutboundSpec(origin=("CN",), offices=("major_offices",)))
        result.as_json()    # {"definition": {...every switch...}, "rows": [...]}

Indicator functions take tables and a spec and return Ibis expressions (``outbound_table``,
``records_table``); ``run`` executes them on an engine. Nothing here imports DuckDB or PySpark.
See docs/indicators.md.

The names below are imported on first use (``patentreach.model.lazy_exports``), so importing a
small submodule such as ``patentreach.indicators.choices`` does not load Ibis.
"""

from typing import TYPE_CHECKING

from patentreach.model.lazy_exports import export_lazily

if TYPE_CHECKING:
    from patentreach.indicators.indicator_set import indicator_set
    from patentreach.indicators.outbound_table import outbound_table
    from patentreach.indicators.prepared import FactSource, PrepareReport, fact_source, prepare
    from patentreach.indicators.records_table import records_table
    from patentreach.indicators.results import IndicatorResult
    from patentreach.indicators.run import outbound, outbound_set, records
    from patentreach.indicators.spec import Cell, OutboundSpec, SpecError

__getattr__, __dir__ = export_lazily(__name__, {
    "indicator_set": ("indicator_set",),
    "outbound_table": ("outbound_table",),
    "prepared": ("FactSource", "PrepareReport", "fact_source", "prepare"),
    "records_table": ("records_table",),
    "results": ("IndicatorResult",),
    "run": ("outbound", "outbound_set", "records"),
    "spec": ("Cell", "OutboundSpec", "SpecError"),
})

__all__ = [
    "Cell",
    "FactSource",
    "IndicatorResult",
    "OutboundSpec",
    "PrepareReport",
    "SpecError",
    "fact_source",
    "indicator_set",
    "outbound",
    "outbound_set",
    "outbound_table",
    "prepare",
    "records",
    "records_table",
]
