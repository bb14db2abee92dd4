"""``/api/v1/transfers/...``: ``patentreach transfers flows|owner-shares|counterparties|records|conveyances``.

Parameters have the CLI options' names (``--from`` is ``from``, ``--date-basis`` is
``date_basis``, ``--cell`` is ``cell``, repeated); they are parsed by ``transfers.options``, the
CLI's own parser, so the JSON equals the CLI's ``--format json`` and a bad value gets its message.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from patentreach.transfers.options import DEFAULTS, parse_cell, transfer_spec
from patentreach.web import service_transfers
from patentreach.web.api.results import respond

router = APIRouter(prefix="/transfers", tags=["transfers"])

Types = Annotated[str, Query(description="Conveyance types counted, comma-separated (assignment, licence, ...).")]
By = Annotated[str, Query(description="Dimensions: origin, destination, origin_group, destination_group, year, "
                                      "field, conveyance_type (comma-separated; empty for a total).")]
From = Annotated[str | None, Query(alias="from", description="Period start (YYYY-MM-DD or YYYY, inclusive).",
                                   examples=["2010"])]
To = Annotated[str | None, Query(alias="to", description="Period end (YYYY-MM-DD or YYYY, inclusive).")]
Basis = Annotated[str, Query(description="record (recording date) or execution (signature).")]
Origin = Annotated[str | None, Query(description="Origin countries, comma-separated (ISO codes).")]
Destination = Annotated[str | None, Query(description="Destination countries, comma-separated.")]
OriginGroup = Annotated[str | None, Query(description="Country group of the origin (e.g. bri).")]
DestinationGroup = Annotated[str | None, Query(description="Country group of the destination (e.g. bri).",
                                               examples=["bri"])]
AllPairs = Annotated[bool, Query(description="Keep domestic pairs and unknown countries too.")]
Format = Annotated[str, Query(description="json (default), or a download: csv, xlsx, parquet.", examples=["json"])]
Cells = Annotated[list[str] | None, Query(description="A cell coordinate, repeated: cell=origin=US&cell=year=2015.",
                                         examples=[["origin=US", "destination=JP"]])]
DEFAULT_TYPES = str(DEFAULTS["types"])


def _spec(types: str, by: str, date_from: str | None, date_to: str | None, date_basis: str, origin: str | None,
          destination: str | None, origin_group: str | None, destination_group: str | None, all_pairs: bool):  # type: ignore[no-untyped-def]
    return transfer_spec(types, by, date_from, date_to, date_basis, origin, destination, origin_group,
                         destination_group, all_pairs, from_option="from", to_option="to")


@router.get("/flows", summary="Cross-border transfers by origin -> destination (transfers flows)")
def flows(
    request: Request, types: Types = DEFAULT_TYPES, by: By = "origin,destination", date_from: From = None,
    date_to: To = None, date_basis: Basis = "record", origin: Origin = None, destination: Destination = None,
    origin_group: OriginGroup = None, destination_group: DestinationGroup = None, all_pairs: AllPairs = False,
    format: Format = "json",
) -> Response:
    """Transactions and patents per cell, as ``patentreach transfers flows`` with the same options."""
    spec = _spec(types, by, date_from, date_to, date_basis, origin, destination, origin_group, destination_group,
                 all_pairs)
    return respond(service_transfers.flows(request, spec), format, "flows")


@router.get("/owner-shares", summary="Share of an origin's owners who transferred abroad (transfers owner-shares)")
def owner_shares(
    request: Request, types: Types = DEFAULT_TYPES, date_from: From = None, date_to: To = None,
    date_basis: Basis = "record", origin: Origin = None, destination_group: DestinationGroup = None,
    format: Format = "json",
) -> Response:
    """As ``patentreach transfers owner-shares`` with the same options."""
    spec = _spec(types, "", date_from, date_to, date_basis, origin, None, None, destination_group, False)
    return respond(service_transfers.owner_shares(request, spec), format, "owner-shares")


@router.get("/counterparties", summary="Top counterparties of cross-border transfers (transfers counterparties)")
def counterparties(
    request: Request,
    side: Annotated[str, Query(description="assignee (who received) or assignor (who sold).")] = "assignee",
    limit: Annotated[int, Query(ge=1, le=10_000, description="How many parties.")] = 20,
    types: Types = DEFAULT_TYPES, date_from: From = None, date_to: To = None, date_basis: Basis = "record",
    origin: Origin = None, destination: Destination = None, destination_group: DestinationGroup = None,
    format: Format = "json",
) -> Response:
    """As ``patentreach transfers counterparties`` with the same options."""
    spec = _spec(types, "", date_from, date_to, date_basis, origin, destination, None, destination_group, False)
    return respond(service_transfers.counterparties(request, spec, side, limit), format, "counterparties")


@router.get("/records", summary="The transfers behind one cell of flows (transfers records)")
def records(
    request: Request,
    cell: Cells = None,
    types: Types = DEFAULT_TYPES, date_from: From = None, date_to: To = None, date_basis: Basis = "record",
    origin_group: OriginGroup = None, destination_group: DestinationGroup = None, all_pairs: AllPairs = False,
    format: Format = "json",
) -> Response:
    """As ``patentreach transfers records`` with the same options and ``--cell``s."""
    spec = _spec(types, "", date_from, date_to, date_basis, None, None, origin_group, destination_group, all_pairs)
    coordinates = parse_cell(cell, option="cell")
    return respond(service_transfers.records(request, spec, coordinates), format, "transfer-records")


@router.get("/conveyances", summary="How the stored transfers were classified (transfers conveyances)")
def conveyances(request: Request, format: Format = "json") -> Response:
    """As ``patentreach transfers conveyances``: count per conveyance type and text."""
    return respond(service_transfers.conveyances(request), format, "conveyances")
