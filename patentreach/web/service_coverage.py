"""What the warehouse holds, and what it lacks for one selection: the coverage panel and
``/api/v1/coverage``.

The whole warehouse is ``patentreach info`` (``warehouse.summary.summary``, whose sections include
``warehouse.coverage.coverage``). A selection's gaps are asked of the indicators themselves, not
re-counted here: the selection's own figure with every origin and scope (``scope=all`` keeps
publications without an origin, fractional counting makes the cells of an office sum to its
publications) by office, origin and sector; the notes the definition already
carries (``indicators/explanations.py``: publications without origin, typed ``other``, why a
figure is empty) are passed on as they are.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder

from patentreach.web import service

if TYPE_CHECKING:
    from patentreach.indicators.results import IndicatorResult
    from patentreach.indicators.spec import OutboundSpec
    from patentreach.warehouse.engines import Engine


def warehouse_coverage(request: Request) -> dict[str, Any]:
    """``{"sections": [{"title", "columns", "rows"}]}``: every section of ``patentreach info``
    (stale harmonised tables are reported in a section, not refused: this is where one looks)."""
    found = service.access(request)

    def compute(engine: Engine) -> dict[str, Any]:
        from patentreach.warehouse.summary import summary

        sections = [{"title": s.title, "columns": list(s.columns), "rows": [list(row) for row in s.rows]}
                    for s in summary(found.warehouse)]
        return jsonable_encoder({"sections": sections})

    return service.cached(request, ("coverage",), compute, fresh=False)


def _asked_offices(spec: OutboundSpec) -> list[str]:
    """The office codes ``spec.offices`` names, groups expanded (members on the last day of the
    years asked, else today)."""
    from patentreach.refdata.country_groups import group_names, members

    on = date(spec.years[1], 12, 31) if spec.years else None
    codes: list[str] = []
    for office in spec.offices:
        found = sorted(members(office, on)) if office.lower() in group_names() else [office]
        codes.extend(code for code in found if code not in codes)
    return codes


def _pct(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _per_office(figure: IndicatorResult) -> list[dict[str, Any]]:
    """One row per office from the figure by office, origin and sector: the publications of the
    selection (any origin), those without an origin country, those without a sector."""
    offices: dict[str, dict[str, Any]] = {}
    for row in figure.rows:
        entry = offices.setdefault(row["office"], {"office": row["office"], "publications": 0.0,
                                                   "without_origin": 0.0, "without_sector": 0.0})
        count = row["count"] or 0
        entry["publications"] += count
        if row["origin"] is None:
            entry["without_origin"] += count
        if row["sector"] in (None, "unknown"):
            entry["without_sector"] += count
    out = []
    for entry in sorted(offices.values(), key=lambda e: e["office"] or ""):
        for name in ("publications", "without_origin", "without_sector"):
            value = round(entry[name], 6)
            entry[name] = int(value) if value == int(value) else round(value, 1)
        entry["without_origin_pct"] = _pct(entry["without_origin"], entry["publications"])
        entry["without_sector_pct"] = _pct(entry["without_sector"], entry["publications"])
        out.append(entry)
    return out


def selection_coverage(request: Request, spec: OutboundSpec) -> dict[str, Any]:
    """What the warehouse lacks for ``spec``: ``{"selection", "offices", "missing_offices", "origins", "notes"}``.

    ``offices``: per office of the selection (its document types, years and offices, every origin),
    the publications and those without origin country or sector; ``missing_offices``: offices asked
    for (groups expanded) with no publication of those types in those years; ``origins``: the origin
    countries of those publications, most first (the filter bar's suggestions); ``notes``: the notes
    of the selection's own figure."""
    figure = service.outbound(request, spec)
    everyone = spec.replace(origin=(), sector=(), scope="all", counting="fractional", top=None,
                            by=("office", "origin", "sector"))
    figure_of_everyone = service.outbound(request, everyone)
    offices = _per_office(figure_of_everyone)
    origins: dict[str, float] = {}
    for row in figure_of_everyone.rows:
        if row["origin"] is not None:
            origins[row["origin"]] = origins.get(row["origin"], 0) + (row["count"] or 0)
    held = {entry["office"] for entry in offices if entry["publications"]}
    missing = [code for code in _asked_offices(spec) if code not in held]
    return {
        "selection": {"label": figure.definition["label"], **spec.to_dict()},
        "offices": offices,
        "missing_offices": missing,
        "origins": sorted(origins, key=lambda code: (-origins[code], code)),
        "notes": list(figure.definition.get("notes", [])),
    }
