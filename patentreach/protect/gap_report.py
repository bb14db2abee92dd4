"""``gaps``: the whole computation for one enterprise, as of one date.

Coverage per product line x market, the routes still open (and closed, with why) for every gap,
their official fees, third-party risk from the warehouse and the summary. The CLI, the demo and
the outputs all call this one function and render its ``GapReport``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from patentreach.legal.status_model import RightStatus
from patentreach.protect.coverage import Coverage, coverage_matrix
from patentreach.protect.date_checks import date_warnings
from patentreach.protect.legal_status import NO_DATA, apply_statuses, entity_statuses
from patentreach.protect.markets import ExportMarkets
from patentreach.protect.portfolio import Portfolio
from patentreach.protect.renewals import Renewal, renewal_totals, renewals_due
from patentreach.protect.risk import Risk, market_risk, open_warehouse
from patentreach.protect.routes import Route, routes_for, with_product_lines
from patentreach.protect.summary import Gap, gap_state, summarise
from patentreach.refdata.official_fees import FeeItem, official_fees
from patentreach.warehouse import Warehouse


@dataclass
class GapReport:
    as_of: date
    owner: str
    portfolio_source: str
    markets_source: str
    fee_table: str
    coverage: list[Coverage]
    gaps: list[Gap]
    routes: list[Route]
    risks: list[Risk]
    summary: dict[str, object]
    warnings: list[str] = field(default_factory=list)
    renewals: list[Renewal] = field(default_factory=list)


def gaps(
    portfolio: Portfolio,
    markets: ExportMarkets,
    as_of: date | None = None,
    warehouse: Warehouse | None = None,
    fees: tuple[FeeItem, ...] | None = None,
    fee_source: Path | None = None,
    risk_top: int = 10,
    statuses: list[RightStatus] | None = None,
) -> GapReport:
    """Everything issue 8 asks for, for one portfolio and its export markets, as of ``as_of`` (today).

    ``statuses`` (legal status rows) decide which rights are in force; without them an entity
    portfolio asks the legal-status engine, and a file portfolio uses its own status columns; with
    none of these, grants are assumed in force and the report says so.
    """
    as_of = as_of or date.today()
    status_note = None
    if statuses is not None:
        portfolio = apply_statuses(portfolio, statuses, f"legal status given ({len(statuses)} rows)")
    elif portfolio.entity_warehouse is not None and not portfolio.status_source:
        portfolio, status_note = entity_statuses(portfolio, as_of)
    table = fees if fees is not None else official_fees()
    coverage = coverage_matrix(portfolio, markets, as_of)
    by_pair: dict[tuple[str, str], list[Route]] = {}
    lines: dict[tuple[str, str], list[str]] = {}
    for cell in coverage:
        if not cell.gap:
            continue
        for name in cell.families:
            family = portfolio.families.get(name)
            if family is None:
                continue
            key = (name, cell.market)
            if key not in by_pair:
                by_pair[key] = routes_for(family, cell.market, as_of, table)
            lines.setdefault(key, []).append(cell.product_line)
    routes = [with_product_lines(route, tuple(lines[key])) for key, found in by_pair.items() for route in found]
    found_gaps = [
        gap_state(cell, [route for name in cell.families for route in by_pair.get((name, cell.market), [])])
        for cell in coverage
        if cell.gap
    ]
    warnings = [*portfolio.warnings, *markets.warnings, *date_warnings(portfolio, as_of)]
    if not portfolio.status_source:
        warnings.append(status_note or f"{NO_DATA}: grants assumed in force, applications assumed pending")
    risks = _risks(portfolio, coverage, as_of, warehouse, risk_top, warnings)
    checked = sorted({item.checked for item in table if item.checked})
    fee_table = (f"user file {fee_source}" if fee_source else "packaged official_fees.csv") + (
        f" (checked {checked[-1]})" if checked else ""
    )
    summary = summarise(as_of, portfolio.owner, coverage, found_gaps, routes)
    summary["fee_table"] = fee_table
    summary["legal_status"] = portfolio.status_source or NO_DATA
    renewals = renewals_due(portfolio, markets, as_of)
    totals, unknown = renewal_totals(renewals)
    summary["renewals_next_year"] = len(renewals)
    summary["renewal_fees_next_year"] = totals
    summary["renewal_fees_unknown"] = unknown
    return GapReport(as_of, portfolio.owner, portfolio.source, markets.source, fee_table, coverage, found_gaps, routes,
                     risks, summary, warnings, renewals)


def _risks(portfolio: Portfolio, coverage: list[Coverage], as_of: date, warehouse: Warehouse | None,
           top: int, warnings: list[str]) -> list[Risk]:
    if warehouse is None:
        warnings.append("no warehouse given: third-party risk not computed")
        return []
    con = open_warehouse(warehouse)
    if con is None:
        warnings.append(f"{warehouse.root}: no warehouse here: third-party risk not computed")
        return []
    try:
        risks = []
        for cell in coverage:
            if not cell.gap:
                continue
            symbols = [s for name in cell.families if name in portfolio.families for s in portfolio.families[name].ipc]
            risks.append(market_risk(con, cell.product_line, cell.market, symbols, as_of,
                                     exclude=portfolio.publications, top=top))
        return risks
    finally:
        con.close()
