"""Outbound indicators: patents obtained abroad by origin, written once with Ibis.

    from patentreach.warehouse.engines import connect
    from patentreach.indicators import OutboundSpec, outbound, records

    with connect(warehouse) as engine:                    # or connect(warehouse, "spark")
        result = outbound(engine, OutboundSpec(origin=("CN",), offices=("major_offices",)))
        result.as_json()    # {"definition": {...every switch...}, "rows": [...]}

Indicator functions take tables and a spec and return Ibis expressions (``outbound_table``,
``records_table``); ``run`` executes them on an engine. Nothing here imports DuckDB or PySpark.
See docs/indicators.md.
"""

from patentreach.indicators.indicator_set import indicator_set
from patentreach.indicators.outbound_table import outbound_table
from patentreach.indicators.prepared import FactSource, PrepareReport, fact_source, prepare
from patentreach.indicators.records_table import records_table
from patentreach.indicators.results import IndicatorResult
from patentreach.indicators.run import outbound, outbound_set, records
from patentreach.indicators.spec import Cell, OutboundSpec, SpecError

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
