"""``/api/v1/coverage``: ``patentreach info`` as JSON; ``/api/v1/coverage/selection``: what the
warehouse lacks for one outbound selection (the dashboard's coverage panel)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from patentreach.indicators.options import outbound_spec
from patentreach.web import service_coverage
from patentreach.web.api.outbound import (
    Basis as BasisOption,
)
from patentreach.web.api.outbound import (
    By,
    Counting,
    Destination,
    FieldCounting,
    Offices,
    Origin,
    OriginRule,
    Scope,
    Sector,
    Stage,
    Top,
    Types,
    Unit,
    Years,
)

router = APIRouter(tags=["coverage"])

COVERAGE_EXAMPLE = {"sections": [
    {"title": "totals", "columns": ["publications", "parties", "classifications", "priorities", "quarantined",
                                    "warnings", "transfers", "files"],
     "rows": [[431, 2065, 1584, 367, 0, 4, 216, 58]]},
    {"title": "publications by office and document type", "columns": ["office", "doc_type", "publications"],
     "rows": [["EP", "invention_grant", 7], ["US", "invention_grant", 154]]},
]}
SELECTION_EXAMPLE = {
    "selection": {"label": "JP-origin invention patents (granted patents), abroad at ip5, 2005-2012, by office, "
                           "year: documents, whole counts, origin by first applicant, grant year",
                  "origin": ["JP"], "offices": ["ip5"], "years": [2005, 2012]},
    "offices": [{"office": "EP", "publications": 3, "without_origin": 0, "without_sector": 0,
                 "without_origin_pct": 0.0, "without_sector_pct": 0.0},
                {"office": "US", "publications": 153, "without_origin": 1, "without_sector": 0,
                 "without_origin_pct": 0.7, "without_sector_pct": 0.0}],
    "missing_offices": ["CN", "JP", "KR"],
    "origins": ["US", "JP", "DE"],
    "notes": ["1 of the 156 invention grants in the selection (0.6%) has no origin country under the "
              "first-applicant rule and counts under no origin (`patentreach info` shows the coverage per source "
              "and office)."],
}


@router.get("/coverage", summary="What the warehouse holds (patentreach info)",
            responses={200: {"content": {"application/json": {"example": COVERAGE_EXAMPLE}}}})
def coverage(request: Request) -> dict[str, Any]:
    """Every section of ``patentreach info``: totals, publications by office, type, year and source,
    unrecognised countries, coverage of origin and sector, documents typed other, the state of
    the harmonised tables, the ingest log and failed files."""
    return service_coverage.warehouse_coverage(request)


@router.get("/coverage/selection", summary="What the warehouse lacks for a selection",
            responses={200: {"content": {"application/json": {"example": SELECTION_EXAMPLE}}}})
def coverage_selection(
    request: Request, origin: Origin = None, origin_rule: OriginRule = "first_applicant", years: Years = None,
    offices: Offices = None, unit: Unit = "documents", counting: Counting = "whole", basis: BasisOption = "grant",
    stage: Stage = "grants", types: Types = "invention", sector: Sector = None, scope: Scope = "abroad",
    by: By = "office,year", field_counting: FieldCounting = "fractional", top: Top = None,
    destination_group: Destination = "bri",
) -> dict[str, Any]:
    """For the same options as ``/outbound``: per office, the publications of the selection's
    document types and years (any origin) and how many lack an origin country or a sector; the
    offices asked for (groups expanded) that hold none; and the notes of the selection's figure."""
    spec = outbound_spec(origin, origin_rule, years, offices, unit, counting, basis, stage, types, sector, scope, by,
                         field_counting, top, destination_group)
    return service_coverage.selection_coverage(request, spec)
