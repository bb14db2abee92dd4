"""The demo's outbound figure: the headline the system exists for, on a synthetic warehouse.

"Granted invention patents obtained in major foreign offices by enterprises from China: N in
2021, +G% year on year", computed by the same indicator code as ``patentreach stats outbound``
(Ibis on DuckDB) over a warehouse written by ``patentreach synth``. The data is synthetic (shaped
after the published figures, never real counts), and every line says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from patentreach.indicators import OutboundSpec, outbound
from patentreach.synth.warehouse import write_warehouse
from patentreach.warehouse import Warehouse
from patentreach.warehouse.engines import connect
from patentreach.warehouse.views import write_database

HEADLINE_YEAR = 2021


@dataclass(slots=True)
class OutboundDemo:
    warehouse: Warehouse
    headline: str
    label: str
    by_office: list[tuple[str, int, float]]  # office, count, share of the year's total
    drill_down: str


def outbound_demo(root: Path, publications: int = 500_000, seed: int = 1,
                  progress: Callable[[int, int, str], None] | None = None) -> OutboundDemo:
    """The headline figure on a synthetic warehouse written under ``root``; ``progress`` follows
    the warehouse's generation (see ``write_warehouse``)."""
    warehouse = Warehouse(root / "synthetic-warehouse")
    write_warehouse(warehouse.root, publications, seed=seed, progress=progress)
    write_database(warehouse)
    base = OutboundSpec(origin=("CN",), sector=("company",), offices=("major_offices",))
    with connect(warehouse) as engine:
        yearly = outbound(engine, base.replace(years=(HEADLINE_YEAR, HEADLINE_YEAR), by=("year",)))
        offices = outbound(engine, base.replace(years=(HEADLINE_YEAR, HEADLINE_YEAR), by=("office",)))
    row = yearly.rows[0] if yearly.rows else {"count": 0, "yoy_pct": None}
    change = "no prior year" if row["yoy_pct"] is None else f"{row['yoy_pct']:+.1f}% year on year"
    headline = (f"granted invention patents obtained in major foreign offices by Chinese enterprises: "
                f"{int(row['count']):,} in {HEADLINE_YEAR}, {change} (synthetic warehouse of {publications:,} "
                "publications)")
    ranked = sorted(offices.rows, key=lambda r: (-r["count"], r["office"]))
    by_office = [(r["office"], int(r["count"]), float(r["share"])) for r in ranked]
    drill_down = (f"patentreach stats records --warehouse {warehouse.root} --origin CN --sector company "
                  f"--offices major --years {HEADLINE_YEAR} --by office --cell office=US")
    return OutboundDemo(warehouse, headline, yearly.definition["label"], by_office, drill_down)
