"""``/api/v1/outbound`` and ``/api/v1/outbound/records``: ``stats outbound`` and ``stats records``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from patentreach.indicators.options import outbound_spec
from patentreach.indicators.spec import Cell
from patentreach.web import service
from patentreach.web.api.results import DOWNLOADS, respond

router = APIRouter(tags=["outbound"])

OUTBOUND_EXAMPLE = {
    "definition": {
        "indicator": "outbound", "origin": ["JP"], "origin_rule": "first_applicant", "counting": "whole",
        "basis": "grant", "unit": "documents", "stage": "grants", "types": ["invention"], "sector": [],
        "offices": ["US"], "scope": "abroad", "years": [2005, 2006], "by": ["office", "year"],
        "field_counting": "fractional", "top": None, "destination_group": "bri", "doc_types": ["invention_grant"],
        "label": "JP-origin invention patents (granted patents), abroad at US, 2005-2006, by office, year: "
                 "documents, whole counts, origin by first applicant, grant year",
        "meaning": {"counting": "each document (or family) counts 1 in every cell it belongs to"},
        "computed": {"engine": "duckdb", "facts": "computed from the warehouse views (no prepared facts)"},
        "notes": ["1 publication in 2005-2006 at the selected offices is typed 'other' (a kind code that is no "
                  "invention, utility model or design) and counted under no document type."],
        "doc_type_rules": {"kind_code": 47},
    },
    "rows": [{"office": "US", "year": 2005, "count": 10, "yoy_abs": 10, "yoy_pct": None, "share": 1.0},
             {"office": "US", "year": 2006, "count": 2, "yoy_abs": -8, "yoy_pct": -80.0, "share": 1.0}],
}
"""A real answer (``origin=JP&offices=US&years=2005-2006`` on the sample warehouse), trimmed."""

RECORDS_EXAMPLE = {
    "definition": {**OUTBOUND_EXAMPLE["definition"], "indicator": "outbound.records",
                   "cell": {"office": "US", "year": 2005}, "limit": None},
    "rows": [{"pub_id": "US-6837086-B2", "family": "US:10446671", "office": "US", "kind": "B2",
              "doc_type": "invention_grant", "day": "2005-01-04", "year": 2005, "route": "direct", "origin": "JP",
              "sector": "company", "entity_id": "E3626d24dab94", "entity_name": "Kobe Steel, Ltd.", "weight": 1.0}],
}


def _responses(example: dict) -> dict:
    """The OpenAPI description of a result: the JSON example, and the download types."""
    content: dict = {"application/json": {"example": example}}
    for media in DOWNLOADS.values():
        content.setdefault(media.split(";")[0], {})
    return {200: {"content": content}, 400: {"description": "A bad option: `{\"error\": the CLI's message}`"},
            409: {"description": "The harmonised tables are older than the last ingest"},
            503: {"description": "No warehouse"}}

Origin = Annotated[str | None, Query(description="Origin countries, e.g. CN or CN,HK (default: all).",
                                     examples=["CN"])]
OriginRule = Annotated[str, Query(description="first_applicant, applicants or inventors.",
                                  examples=["first_applicant"])]
Years = Annotated[str | None, Query(description="Year or range: 2021, 2019-2021.", examples=["2019-2021"])]
Offices = Annotated[str | None, Query(description="Offices and groups: major, ip5, bri, US,EP,JP (default: all).",
                                      examples=["major"])]
Unit = Annotated[str, Query(description="documents or families.", examples=["families"])]
Counting = Annotated[str, Query(description="whole or fractional.", examples=["fractional"])]
Basis = Annotated[str, Query(description="Date basis: grant, filing or priority.", examples=["filing"])]
Stage = Annotated[str, Query(description="grants or applications.", examples=["applications"])]
Types = Annotated[str, Query(alias="type", description="invention, utility_model, design (comma-separated).",
                             examples=["invention,utility_model"])]
Sector = Annotated[str | None, Query(description="Origin sector: company (= enterprise), university, ...",
                                     examples=["company"])]
Scope = Annotated[str, Query(description="abroad, non_resident, resident or all.", examples=["non_resident"])]
By = Annotated[str, Query(description="Breakdown: office,year,origin,field,entity,sector,route,destination,residence.",
                          examples=["office,year"])]
FieldCounting = Annotated[str, Query(description="Technology fields: fractional or first.", examples=["first"])]
Top = Annotated[int | None, Query(ge=1, le=10_000, description="Top N entities (with by=entity).", examples=[10])]
Destination = Annotated[str, Query(description="Group for the destination breakdown (default bri).", examples=["bri"])]
Prepared = Annotated[bool, Query(description="Use prepared fact tables when fresh (see `stats prepare`).",
                                 examples=[True])]
Format = Annotated[str, Query(description="json (default), or a download: csv, xlsx, parquet.", examples=["csv"])]


@router.get("/outbound", summary="Patents obtained abroad by origin (stats outbound)",
            responses=_responses(OUTBOUND_EXAMPLE))
def outbound(
    request: Request, origin: Origin = None, origin_rule: OriginRule = "first_applicant", years: Years = None,
    offices: Offices = None, unit: Unit = "documents", counting: Counting = "whole", basis: Basis = "grant",
    stage: Stage = "grants", types: Types = "invention", sector: Sector = None, scope: Scope = "abroad",
    by: By = "office,year", field_counting: FieldCounting = "fractional", top: Top = None,
    destination_group: Destination = "bri", prepared: Prepared = True, format: Format = "json",
) -> Response:
    """The same figure as ``patentreach stats outbound`` with the same options; the JSON equals
    its ``--format json`` (the definition block says every counting rule)."""
    spec = outbound_spec(origin, origin_rule, years, offices, unit, counting, basis, stage, types, sector, scope, by,
                         field_counting, top, destination_group)
    return respond(service.outbound(request, spec, prepared), format, "outbound")


@router.get("/outbound/records", summary="The publications behind one cell (stats records)",
            responses=_responses(RECORDS_EXAMPLE))
def outbound_records(
    request: Request,
    cell: Annotated[list[str], Query(description="The cell's keys, repeated: cell=office=US&cell=year=2021.",
                                     examples=[["office=US", "year=2021"]])],
    origin: Origin = None, origin_rule: OriginRule = "first_applicant", years: Years = None,
    offices: Offices = None, unit: Unit = "documents", counting: Counting = "whole", basis: Basis = "grant",
    stage: Stage = "grants", types: Types = "invention", sector: Sector = None, scope: Scope = "abroad",
    by: By = "office,year", field_counting: FieldCounting = "fractional", top: Top = None,
    destination_group: Destination = "bri",
    limit: Annotated[int | None, Query(ge=0, le=100_000, description="At most N rows.", examples=[500])] = None,
    prepared: Prepared = True, format: Format = "json",
) -> Response:
    """The same rows as ``patentreach stats records`` with the same options and ``--cell``s."""
    spec = outbound_spec(origin, origin_rule, years, offices, unit, counting, basis, stage, types, sector, scope, by,
                         field_counting, top, destination_group)
    keys = Cell.parse(cell).keys
    return respond(service.records(request, spec, keys, limit, prepared), format, "records")
