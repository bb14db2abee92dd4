"""``stats compare``: the warehouse's figure beside a published one, office by office.

    request = comparison_request("cnipa-yearbook-2022-t6-2", "CN", 2021, None)
    with connect(warehouse) as engine:
        result = compare(engine, warehouse, request)
    result.as_json()   # {"published": {...}, "warehouse": {...}, "rows": [...], "differences": [...], ...}

The warehouse's count comes from ``outbound_set`` (the library function behind ``stats outbound``)
under the closest definition (``compare_definitions``); a second spec over the same documents of
every origin says what the warehouse holds for the slice at all and how much of it has no origin.
``warehouse/coverage.py`` adds, per office, the publications typed ``other`` (all years). The
verdict (``compare_verdict``) says in one sentence whether the published figure can be reproduced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from patentreach.indicators.compare_definitions import closest_spec, coverage_spec, differences
from patentreach.indicators.compare_request import CompareRequest
from patentreach.indicators.compare_verdict import THRESHOLDS, Slice, counted, number, verdict
from patentreach.indicators.run import outbound_set
from patentreach.indicators.tables import EngineLike
from patentreach.refdata.published import ALL
from patentreach.warehouse.coverage import coverage_of
from patentreach.warehouse.layout import Warehouse

TOTAL = "(total)"
ROUTE_COLUMNS = ["published_direct", "warehouse_direct", "published_pct", "warehouse_pct"]


@dataclass(frozen=True)
class Comparison:
    """The result of ``stats compare``: rows per office and in total, with both definitions."""

    published: dict[str, Any]
    warehouse: dict[str, Any]
    request: dict[str, Any]
    columns: list[str]
    rows: list[dict[str, Any]]
    differences: list[dict[str, Any]]
    coverage: dict[str, Any]
    verdict: str
    verdict_kind: str
    thresholds: dict[str, float] = field(default_factory=lambda: dict(THRESHOLDS))

    def as_json(self) -> dict[str, Any]:
        return {
            "request": self.request, "published": self.published, "warehouse": self.warehouse,
            "columns": self.columns, "rows": self.rows, "differences": self.differences,
            "coverage": self.coverage, "verdict": self.verdict, "verdict_kind": self.verdict_kind,
            "thresholds": self.thresholds,
        }

    def notes(self) -> list[str]:
        """Every sentence under the table: differences, coverage, verdict."""
        return ([d["sentence"] for d in self.differences] + self.coverage["notes"]
                + [f"Verdict: {self.verdict}"])


def _count(value: float, whole: bool = True) -> int | float:
    """A count as shown: an integer when it is one (always, for whole counting), else 3 decimals."""
    return round(value) if whole or abs(value - round(value)) < 1e-9 else round(value, 3)


def _sums(rows: list[dict[str, Any]], key: str, where: Any = None) -> dict[str, float]:
    out: dict[str, float] = {}
    for row in rows:
        if where is None or where(row):
            out[row[key]] = out.get(row[key], 0.0) + float(row["count"] or 0)
    return out


def _other_by_office(warehouse: Warehouse) -> dict[str, int]:
    """Publications typed ``other`` per office, all years (``warehouse/coverage.py``)."""
    columns, rows = coverage_of(warehouse)
    office, other, source = columns.index("office"), columns.index("other"), columns.index("source")
    out: dict[str, int] = {}
    for row in rows:
        if row[source] != "(all)":
            out[row[office]] = out.get(row[office], 0) + int(row[other] or 0)
    return out


def _row(office: str, label: str, published: Any, count: float, whole: bool, held: float, without: float,
         other: int | None, status: str) -> dict[str, Any]:
    warehouse = _count(count, whole)
    return {
        "office": office, "name": label, "published": published.value, "warehouse": warehouse,
        "difference": _count(count - published.value, whole),
        "ratio": round(count / published.value, 4) if published.value else None,
        "held": _count(held, False), "without_origin": _count(without, False), "other_all_years": other,
        "status": status,
    }


def compare(engine: EngineLike, warehouse: Warehouse, request: CompareRequest,
            use_prepared: bool = True) -> Comparison:
    """The comparison of ``request`` over ``engine`` (``warehouse``: the same warehouse, for its coverage)."""
    table = request.table
    spec = closest_spec(request)
    results = outbound_set(engine, {"figure": spec, "coverage": coverage_spec(spec)}, use_prepared)
    figure, held_result = results["figure"], results["coverage"]
    whole = spec.counting == "whole"
    by_office = _sums(figure.rows, "office")
    by_route = {route: _sums(figure.rows, "office", lambda r, x=route: r.get("route") == x)
                for route in ("direct", "pct")}
    held = _sums(held_result.rows, "office")
    without = _sums(held_result.rows, "office", lambda r: r["origin"] is None)
    other = _other_by_office(warehouse)
    published = request.figures()
    what = f"{'+'.join(spec.origin)}-origin {table.types} {table.measure} of {request.year}"
    rows = []
    for office in request.offices:
        status = (f"no {table.measure} of {request.year}" if not held.get(office)
                  else f"holds {table.measure} of {request.year}")
        row = _row(office, published[office].label, published[office], by_office.get(office, 0.0), whole,
                   held.get(office, 0.0), without.get(office, 0.0), other.get(office, 0), status)
        if table.route_split:
            row |= {"published_direct": published[office].direct,
                    "warehouse_direct": _count(by_route["direct"].get(office, 0.0), whole),
                    "published_pct": published[office].pct_national_phase,
                    "warehouse_pct": _count(by_route["pct"].get(office, 0.0), whole)}
        rows.append(row)
    with_data = [row["office"] for row in rows if row["held"]]
    total = _total(request, rows, published, whole)
    rows.append(total)
    diffs = differences(request, spec, with_data)
    the_slice = Slice(
        what=what, year=request.year, measure=table.measure, offices=len(request.offices),
        with_data=[(r["office"], r["warehouse"], r["published"]) for r in rows[:-1] if r["held"]],
        published=total["published"], warehouse=total["warehouse"], held=total["held"],
        without_origin=total["without_origin"],
    )
    decided = verdict(the_slice)
    columns = ["office", "name", "published", "warehouse", "difference", "ratio",
               *(ROUTE_COLUMNS if table.route_split else []), "held", "without_origin", "other_all_years", "status"]
    coverage = {
        "offices_compared": len(request.offices), "offices_with_data": with_data,
        "offices_without_data": [o for o in request.offices if o not in with_data],
        "held": total["held"], "without_origin": total["without_origin"],
        "notes": _coverage_notes(request, with_data, total) + figure.definition.get("notes", []),
    }
    return Comparison(
        published=table.definition() | {
            "figures": [_published_figure(published[o]) for o in request.offices],
            "total": _published_figure(published[ALL]) if ALL in published else None},
        warehouse=figure.definition, request={"table": table.name, "origin": request.origin, "year": request.year,
                                              "offices": list(request.offices), "all_offices": request.all_offices,
                                              "dropped_offices": list(request.dropped)},
        columns=columns, rows=rows, differences=[d.as_dict() for d in diffs], coverage=coverage,
        verdict=decided.sentence, verdict_kind=decided.kind,
    )


def _total(request: CompareRequest, rows: list[dict[str, Any]], published: dict[str, Any], whole: bool) -> dict:
    """The total row: the published total row when every office is compared (checked against the
    sum of the office rows by the tests), else the sum of the compared offices."""
    pub = sum(r["published"] for r in rows)
    label = f"Total ({len(rows)} offices compared)"
    if request.all_offices and ALL in published:
        pub, label = published[ALL].value, published[ALL].label
    summed = sum(float(r["warehouse"]) for r in rows)
    total = {
        "office": TOTAL, "name": label, "published": pub, "warehouse": _count(summed, whole),
        "difference": _count(summed - pub, whole), "ratio": round(summed / pub, 4) if pub else None,
        "held": _count(sum(r["held"] for r in rows), False),
        "without_origin": _count(sum(r["without_origin"] for r in rows), False),
        "other_all_years": sum(r["other_all_years"] or 0 for r in rows),
        "status": f"{sum(1 for r in rows if r['held'])} of {len(rows)} offices hold {request.table.measure} of "
                  f"{request.year}",
    }
    if request.table.route_split:
        for column in ROUTE_COLUMNS:
            values = [r[column] for r in rows if r[column] is not None]
            total[column] = _count(sum(values), whole) if column.startswith("warehouse") else sum(values)
        if request.all_offices and ALL in published:
            total["published_direct"] = published[ALL].direct
            total["published_pct"] = published[ALL].pct_national_phase
    return total


def _published_figure(figure: Any) -> dict[str, Any]:
    return {"office": figure.office, "value": figure.value, "direct": figure.direct,
            "pct_national_phase": figure.pct_national_phase, "verified": figure.verified, "note": figure.note}


def _coverage_notes(request: CompareRequest, with_data: list[str], total: dict[str, Any]) -> list[str]:
    measure, year = request.table.measure, request.year
    missing = len(request.offices) - len(with_data)
    notes = [f"Coverage: the warehouse holds {measure} of {year} for {len(with_data)} of the "
             f"{len(request.offices)} compared offices"
             + (f" ({', '.join(with_data)})" if with_data else "")
             + (f"; {missing} {'offices have' if missing != 1 else 'office has'} none" if missing else "") + "."]
    if total["held"]:
        share = total["without_origin"] / total["held"]
        held = counted(total["held"], measure)
        notes.append(f"Coverage: {number(total['without_origin'])} of the {held} of {year} held at the compared "
                     f"offices ({share:.1%}) have no origin country under the "
                     f"{request.table.origin_rule.replace('_', '-')} rule and count for no origin.")
    return notes
