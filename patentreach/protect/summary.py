"""The enterprise's summary: export value exposed without protection, markets whose every route
is closed, and the next deadlines.

Export values are summed per currency (never converted); a market without a value is counted
separately, so a missing figure is never read as zero.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from patentreach.protect.coverage import Coverage
from patentreach.protect.routes import Route


@dataclass(frozen=True, slots=True)
class Gap:
    """A product line x market without protection, with the state of its routes."""

    product_line: str
    market: str
    coverage: str  # pending | unconfirmed | none
    state: str  # open | pending | closed
    reason: str
    next_deadline: date | None
    routes: int


def gap_state(cell: Coverage, routes: list[Route]) -> Gap:
    open_routes = [route for route in routes if route.status == "open"]
    if open_routes:
        state, reason = "open", f"{len(open_routes)} route(s) open"
    elif any(route.status == "pending" for route in routes):
        state, reason = "pending", "an application reaching this market is pending"
    elif not cell.families:
        state, reason = "closed", "no family of the portfolio covers this product line"
    elif not routes:
        state, reason = "closed", "no filing route reaches this market"
    else:
        state, reason = "closed", "every route is closed: " + "; ".join(
            dict.fromkeys(f"{route.route} ({route.reason})" for route in routes)
        )
    deadlines = [route.deadline.date for route in open_routes if route.deadline]
    return Gap(cell.product_line, cell.market, cell.status, state, reason, min(deadlines, default=None), len(routes))


def summarise(as_of: date, owner: str, coverage: list[Coverage], gaps: list[Gap], routes: list[Route],
              top: int = 10) -> dict[str, object]:
    exposed: dict[str, float] = defaultdict(float)
    pending_value: dict[str, float] = defaultdict(float)
    without_value = 0
    for cell in coverage:
        if not cell.gap:
            continue
        if cell.export_value is None:
            without_value += 1
            continue
        currency = cell.currency or "(currency not given)"
        exposed[currency] += cell.export_value
        if cell.status == "pending":
            pending_value[currency] += cell.export_value
    closed = [gap for gap in gaps if gap.state == "closed"]
    counts = defaultdict(int)
    for cell in coverage:
        counts[cell.status] += 1
    open_routes = [route for route in routes if route.status == "open" and route.deadline]
    return {
        "as_of": as_of.isoformat(),
        "owner": owner,
        "markets": len(coverage),
        "protected": counts["protected"],
        "pending": counts["pending"],
        "unconfirmed": counts["unconfirmed"],
        "unprotected": counts["none"],
        "export_value_exposed": {currency: value for currency, value in sorted(exposed.items())},
        "export_value_exposed_pending": {currency: value for currency, value in sorted(pending_value.items())},
        "exposed_markets_without_value": without_value,
        "gaps": len(gaps),
        "gaps_open": sum(1 for gap in gaps if gap.state == "open"),
        "gaps_pending": sum(1 for gap in gaps if gap.state == "pending"),
        "gaps_closed": len(closed),
        "closed": [f"{gap.product_line} / {gap.market}" for gap in closed],
        "open_routes": len(open_routes),
        "open_routes_not_verified": sum(1 for route in open_routes if route.verified != "yes"),
        "next_deadlines": next_deadlines(open_routes, top),
    }


def next_deadlines(routes: list[Route], top: int = 10) -> list[dict[str, object]]:
    """The earliest open deadlines; one act reaching several markets (a PCT filing, a regional
    phase entry) is listed once with all its markets."""
    acts: dict[tuple, dict[str, object]] = {}
    for route in sorted(routes, key=lambda r: (r.deadline.date, r.family, r.route, r.office)):  # type: ignore[union-attr]
        deadline = route.deadline
        assert deadline is not None
        key = (route.family, route.route, route.office, deadline.date)
        act = acts.setdefault(key, {
            "deadline": deadline.date.isoformat(),
            "expires": deadline.expires.isoformat() if deadline.expires else None,
            "family": route.family,
            "route": route.route,
            "office": route.office,
            "markets": [],
            "verified": deadline.verified,
        })
        if route.market not in act["markets"]:  # type: ignore[operator]
            act["markets"].append(route.market)  # type: ignore[union-attr]
    return list(acts.values())[:top]
