"""A ``GapReport`` as plain data: the JSON document and the flat rows of the CSV, XLSX and table
outputs. Every output is made from these, so they always say the same thing.

JSON: ``{"as_of", "coverage": [...], "routes": [{"family", "market", "route", "deadline", "rule",
"source", "verified", "fee": {...}}, ...], "risks": [...], "summary": {...}}`` plus ``gaps``,
``warnings`` and where the inputs came from.
"""

from __future__ import annotations

from patentreach.protect.gap_report import GapReport
from patentreach.protect.routes import Route

COVERAGE_COLUMNS = ["product_line", "market", "status", "families", "export_value", "currency", "hs_code", "basis"]
GAP_COLUMNS = ["product_line", "market", "coverage", "state", "next_deadline", "routes", "reason"]
ROUTE_COLUMNS = [
    "family", "market", "product_lines", "route", "office", "status", "deadline", "expires", "verified",
    "not_verified", "fee", "fee_amount", "fee_currency", "fee_status", "rule", "legal_basis", "holidays", "reason",
    "remedies", "notes", "source",
]
RENEWAL_COLUMNS = ["due", "family", "office", "application_number", "markets", "year", "fee", "amount", "currency",
                   "verified", "note", "source"]
RISK_COLUMNS = ["product_line", "market", "publications", "top_owners", "top_grants", "ipc_keys", "note"]


def route_dict(route: Route) -> dict[str, object]:
    deadline = route.deadline
    return {
        "family": route.family,
        "market": route.market,
        "product_lines": list(route.product_lines),
        "route": route.route,
        "office": route.office,
        "status": route.status,
        "deadline": deadline.date.isoformat() if deadline else None,
        "expires": deadline.expires.isoformat() if deadline and deadline.expires else None,
        "holidays_known": deadline.holidays_known if deadline else None,
        "holidays": deadline.holidays_basis if deadline else None,
        "rule": deadline.rule if deadline else None,
        "legal_basis": deadline.legal_basis if deadline else None,
        "source": deadline.source if deadline else None,
        "verified": route.verified,
        "not_verified": list(deadline.unverified) if deadline else [],
        "reason": route.reason or None,
        "remedies": list(route.remedies),
        "notes": list(route.notes),
        "covers": list(route.covers),
        "fee": route.fee.as_dict() if route.fee else None,
    }


def report_dict(report: GapReport) -> dict[str, object]:
    return {
        "as_of": report.as_of.isoformat(),
        "owner": report.owner,
        "portfolio": report.portfolio_source,
        "exports": report.markets_source,
        "coverage": [
            {
                "product_line": cell.product_line,
                "market": cell.market,
                "status": cell.status,
                "families": list(cell.families),
                "basis": list(cell.basis),
                "export_value": cell.export_value,
                "currency": cell.currency,
                "hs_code": cell.hs_code,
                "notes": list(cell.notes),
            }
            for cell in report.coverage
        ],
        "gaps": [
            {
                "product_line": gap.product_line,
                "market": gap.market,
                "coverage": gap.coverage,
                "state": gap.state,
                "reason": gap.reason,
                "next_deadline": gap.next_deadline.isoformat() if gap.next_deadline else None,
            }
            for gap in report.gaps
        ],
        "routes": [route_dict(route) for route in report.routes],
        "risks": [risk.as_dict() for risk in report.risks],
        "renewals": [renewal.as_dict() for renewal in report.renewals],
        "summary": report.summary,
        "warnings": list(report.warnings),
    }


def coverage_rows(report: GapReport) -> list[tuple]:
    return [
        (cell.product_line, cell.market, cell.status, "; ".join(cell.families), cell.export_value, cell.currency,
         cell.hs_code, " | ".join((*cell.basis, *cell.notes)))
        for cell in report.coverage
    ]


def gap_rows(report: GapReport) -> list[tuple]:
    return [
        (gap.product_line, gap.market, gap.coverage, gap.state,
         gap.next_deadline.isoformat() if gap.next_deadline else None, gap.routes, gap.reason)
        for gap in report.gaps
    ]


def route_rows(report: GapReport) -> list[tuple]:
    rows = []
    for route in sorted(report.routes, key=_route_order):
        data = route_dict(route)
        fee = route.fee
        rows.append((
            route.family, route.market, "; ".join(route.product_lines), route.route, route.office, route.status,
            data["deadline"], data["expires"], route.verified, " | ".join(data["not_verified"]),  # type: ignore[arg-type]
            fee.text() if fee else None, fee.amount if fee else None, fee.currency if fee else None,
            fee.status if fee else None, data["rule"], data["legal_basis"], data["holidays"], route.reason or None,
            " | ".join(route.remedies), " | ".join(route.notes), data["source"],
        ))
    return rows


def renewal_rows(report: GapReport) -> list[tuple]:
    return [
        (renewal.due.isoformat() if renewal.due else None, renewal.family, renewal.office, renewal.application_number,
         ", ".join(renewal.markets), renewal.year, renewal.fee_text, renewal.amount, renewal.currency, renewal.verified,
         renewal.note, renewal.source)
        for renewal in report.renewals
    ]


def risk_rows(report: GapReport) -> list[tuple]:
    return [
        (risk.product_line, risk.market, risk.publications,
         "; ".join(f"{owner['owner']} ({owner['grants']})" for owner in risk.top_owners),
         "; ".join(str(hit["pub_id"]) for hit in risk.top), " ".join(risk.ipc_keys), risk.note)
        for risk in report.risks
    ]


def summary_rows(report: GapReport) -> list[tuple]:
    rows = []
    for key, value in report.summary.items():
        if key == "next_deadlines":
            continue
        if isinstance(value, dict):
            value = "; ".join(f"{k} {v:,.0f}" for k, v in value.items()) or "none"
        elif isinstance(value, list):
            value = ", ".join(map(str, value)) or "none"
        rows.append((key, value))
    return rows


def deadline_rows(report: GapReport) -> list[tuple]:
    return [
        (act["deadline"], act["expires"], act["family"], act["route"], act["office"],
         ", ".join(act["markets"]), act["verified"])  # type: ignore[arg-type]
        for act in report.summary["next_deadlines"]  # type: ignore[union-attr]
    ]


def _route_order(route: Route) -> tuple:
    status = {"open": 0, "pending": 1, "closed": 2}.get(route.status, 3)
    day = route.deadline.date.isoformat() if route.deadline else "9999"
    return (status, day, route.family, route.market, route.route)
