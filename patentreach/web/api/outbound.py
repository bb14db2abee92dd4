"""``/api/v1/outbound`` and ``/api/v1/outbound/records``: ``stats outbound`` and ``stats records``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from patentreach.indicators.options import outbound_spec
from patentreach.indicators.spec import Cell
from patentreach.web import service
from patentreach.web.api.results import respond

router = APIRouter(tags=["outbound"])

Origin = Annotated[str | None, Query(description="Origin countries, e.g. CN or CN,HK (default: all).",
                                     examples=["CN"])]
OriginRule = Annotated[str, Query(description="first_applicant, applicants or inventors.")]
Years = Annotated[str | None, Query(description="Year or range: 2021, 2019-2021.", examples=["2019-2021"])]
Offices = Annotated[str | None, Query(description="Offices and groups: major, ip5, bri, US,EP,JP (default: all).",
                                      examples=["major"])]
Unit = Annotated[str, Query(description="documents or families.")]
Counting = Annotated[str, Query(description="whole or fractional.")]
Basis = Annotated[str, Query(description="Date basis: grant, filing or priority.")]
Stage = Annotated[str, Query(description="grants or applications.")]
Types = Annotated[str, Query(alias="type", description="invention, utility_model, design (comma-separated).")]
Sector = Annotated[str | None, Query(description="Origin sector: company (= enterprise), university, ...")]
Scope = Annotated[str, Query(description="abroad, non_resident, resident or all.")]
By = Annotated[str, Query(description="Breakdown: office,year,origin,field,entity,sector,route,destination,residence.")]
FieldCounting = Annotated[str, Query(description="Technology fields: fractional or first.")]
Top = Annotated[int | None, Query(ge=1, le=10_000, description="Top N entities (with by=entity).")]
Destination = Annotated[str, Query(description="Group for the destination breakdown (default bri).")]
Prepared = Annotated[bool, Query(description="Use prepared fact tables when fresh (see `stats prepare`).")]
Format = Annotated[str, Query(description="json (default), or a download: csv, xlsx, parquet.")]


@router.get("/outbound", summary="Patents obtained abroad by origin (stats outbound)")
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


@router.get("/outbound/records", summary="The publications behind one cell (stats records)")
def outbound_records(
    request: Request,
    cell: Annotated[list[str], Query(description="The cell's keys, repeated: cell=office=US&cell=year=2021.",
                                     examples=[["office=US", "year=2021"]])],
    origin: Origin = None, origin_rule: OriginRule = "first_applicant", years: Years = None,
    offices: Offices = None, unit: Unit = "documents", counting: Counting = "whole", basis: Basis = "grant",
    stage: Stage = "grants", types: Types = "invention", sector: Sector = None, scope: Scope = "abroad",
    by: By = "office,year", field_counting: FieldCounting = "fractional", top: Top = None,
    destination_group: Destination = "bri",
    limit: Annotated[int | None, Query(ge=0, le=100_000, description="At most N rows.")] = None,
    prepared: Prepared = True, format: Format = "json",
) -> Response:
    """The same rows as ``patentreach stats records`` with the same options and ``--cell``s."""
    spec = outbound_spec(origin, origin_rule, years, offices, unit, counting, basis, stage, types, sector, scope, by,
                         field_counting, top, destination_group)
    keys = Cell.parse(cell).keys
    return respond(service.records(request, spec, keys, limit, prepared), format, "records")
