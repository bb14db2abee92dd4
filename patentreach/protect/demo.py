"""``protect_demo``: the export-protection part of ``patentreach demo``, on the packaged sample.

It needs nothing outside the package: the sample portfolio and export markets ship in
``patentreach/protect/samples/``, and the run is dated (``SAMPLE_AS_OF``) so that its deadlines
mean the same thing every time. Given the demo's warehouse, third-party risk is computed from it.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from importlib import resources
from pathlib import Path

from patentreach.protect.calendar_export import deadline_calendar
from patentreach.protect.gap_report import GapReport, gaps
from patentreach.protect.markets import read_markets
from patentreach.protect.portfolio import read_portfolio
from patentreach.protect.report_data import ROUTE_COLUMNS, report_dict, route_rows
from patentreach.protect.workbook import write_workbook
from patentreach.warehouse import Warehouse

SAMPLE_AS_OF = date(2026, 6, 1)


def sample_path(name: str) -> Path:
    """A packaged sample file (``portfolio.csv``, ``exports.csv``)."""
    return Path(str(resources.files("patentreach.protect.samples").joinpath(name)))


def sample_report(warehouse: Warehouse | None = None, as_of: date = SAMPLE_AS_OF) -> GapReport:
    portfolio = read_portfolio(sample_path("portfolio.csv"))
    markets = read_markets(sample_path("exports.csv"), portfolio.families)
    return gaps(portfolio, markets, as_of, warehouse=warehouse)


def protect_demo(out_dir: Path, warehouse: Warehouse | None = None) -> list[str]:
    """Run the sample as of ``SAMPLE_AS_OF``, write its outputs to ``out_dir/protect`` and return
    a few summary lines."""
    import csv

    from patentreach.model.spreadsheet_cells import neutralise_rows

    target = out_dir / "protect"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("portfolio.csv", "exports.csv"):
        shutil.copyfile(sample_path(name), target / name)
    report = sample_report(warehouse)
    (target / "gaps.json").write_text(json.dumps(report_dict(report), indent=2, ensure_ascii=False), "utf-8")
    with (target / "routes.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(ROUTE_COLUMNS)
        rows = (["" if value is None else value for value in row] for row in route_rows(report))
        writer.writerows(neutralise_rows(rows))
    write_workbook(report, target / "gaps.xlsx")
    (target / "deadlines.ics").write_bytes(deadline_calendar(report))
    summary = report.summary
    exposed = "; ".join(f"{currency} {value:,.0f}" for currency, value in summary["export_value_exposed"].items())  # type: ignore[union-attr]
    lines = [
        f"export protection gaps for {report.owner} as of {report.as_of.isoformat()} (sample data)",
        f"{summary['markets']} product-line markets: {summary['protected']} protected, {summary['pending']} pending, "
        f"{summary['unprotected']} without protection; export value exposed: {exposed or 'none'}",
        f"{summary['gaps_open']} gaps with open routes, {summary['gaps_closed']} closed "
        f"({', '.join(summary['closed']) or 'none'}); "  # type: ignore[arg-type]
        f"{summary['open_routes_not_verified']} of {summary['open_routes']} open deadlines rest on unverified rows",
    ]
    for act in summary["next_deadlines"][:3]:  # type: ignore[index]
        flag = "" if act["verified"] == "yes" else f" [{act['verified']}]"
        lines.append(f"next: {act['deadline']} {act['family']} {act['route']} at {act['office']} "
                     f"for {', '.join(act['markets'])}{flag}")
    if report.risks:
        risk = max(report.risks, key=lambda found: found.publications)
        owner = risk.top_owners[0]["owner"] if risk.top_owners else "none"
        lines.append(f"third-party risk: {risk.publications} grants assumed in force in {risk.market} share IPC "
                     f"with {risk.product_line}; top owner {owner}")
    lines.append(f"written: {target}/gaps.json, routes.csv, gaps.xlsx, deadlines.ics")
    lines.extend(national_demo(target / "national"))
    return lines


def national_demo(folder: Path) -> list[str]:
    """``protect national`` on synthetic exporters (their holdings synthetic too), as of
    ``SAMPLE_AS_OF``: the headline shares and where the files went."""
    from patentreach.protect.national import national_indicator
    from patentreach.protect.national_files import write_national
    from patentreach.protect.samples.synthetic_exporters import synthetic_exporters

    exporters, holdings = synthetic_exporters(as_of=SAMPLE_AS_OF)
    report = national_indicator(exporters, holdings, SAMPLE_AS_OF, "synthetic exporters")
    write_national(report, folder)
    total = report.rows[0].as_dict()
    return [
        f"national indicator on {total['exporters']} synthetic exporters as of {SAMPLE_AS_OF.isoformat()}: "
        f"matched {total['matching_rate']:.1%}; no patent in force in any export market {total['share_none']:.1%}, "
        f"not in every one {total['share_not_all']:.1%} (matched only: {total['share_none_matched']:.1%} / "
        f"{total['share_not_all_matched']:.1%})",
        f"written: {folder}/national.csv, unmatched.csv, national.json",
    ]
