"""``/transfers``: cross-border transfers (flows, owner shares, top counterparties) with a filter
form; ``/transfers/records``: the transfers behind one cell, where every count of the flows table
links to. The options are ``/api/v1/transfers``'s (the CLI's names), parsed by the same parser.

By default the page shows transfers into the Belt and Road countries: ``destination_group=bri``,
broken down by origin, destination group and destination, so the ``bri`` rows are those flows.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from patentreach.transfers.options import DEFAULTS, parse_cell, transfer_spec
from patentreach.web import service_transfers
from patentreach.web.templating import render

router = APIRouter()

PAGE_DEFAULTS: dict[str, Any] = {**DEFAULTS, "destination_group": "bri", "by": "origin,destination_group,destination"}
"""The page's defaults: the API's, except flows into the Belt and Road countries."""
FORM_NAMES = {"date_from": "from", "date_to": "to"}
"""Option -> query parameter where they differ (``from`` is a Python keyword)."""
COUNT_COLUMNS = ("transactions", "patents")


def options_of(request: Request) -> dict[str, Any]:
    """The filter options as typed in the query string (the page's defaults for the missing ones)."""
    query = request.query_params
    options: dict[str, Any] = {}
    for name, default in PAGE_DEFAULTS.items():
        value = query.get(FORM_NAMES.get(name, name))
        if name == "all_pairs":
            options[name] = (value or "").lower() in ("1", "true", "on", "yes") if value is not None else default
        else:
            options[name] = value if value is not None else default
    return options


def _spec(options: dict[str, Any], **changes: Any):  # type: ignore[no-untyped-def]
    values = {**options, **changes}
    return transfer_spec(values["types"], values["by"], values["date_from"], values["date_to"],
                         values["date_basis"], values["origin"], values["destination"], values["origin_group"],
                         values["destination_group"], values["all_pairs"], from_option="from", to_option="to")


def query_of(options: dict[str, Any], cell: dict[str, Any] | None = None) -> str:
    """The query string of these options (and a cell's coordinates, as repeated ``cell=``)."""
    pairs: list[tuple[str, str]] = []
    for name, value in options.items():
        if value is None or value == "" or value is False:
            continue
        pairs.append((FORM_NAMES.get(name, name), "true" if value is True else str(value)))
    for key, value in (cell or {}).items():
        pairs.append(("cell", f"{key}={value}"))
    return urlencode(pairs)


@router.get("/transfers", response_class=HTMLResponse)
def transfers(request: Request) -> HTMLResponse:
    options = options_of(request)
    spec = _spec(options)
    flows = service_transfers.flows(request, spec)
    shares = service_transfers.owner_shares(request, _spec(options, by="", destination=None, origin_group=None,
                                                           all_pairs=False))
    counterparties = service_transfers.counterparties(request, _spec(options, by="", origin_group=None,
                                                                     all_pairs=False), "assignee", 10)
    # every cell of the flows table links to its records: same period, types and groups, the row's keys
    record_options = {k: v for k, v in options.items() if k not in ("by", "origin", "destination")}
    links = [f"/transfers/records?{query_of(record_options, {key: row[key] for key in spec.by})}"
             for row in flows.rows]
    return render(request, "transfers.html", options=options, flows=flows, shares=shares,
                  counterparties=counterparties, links=links, count_columns=COUNT_COLUMNS, api_query=query_of(options))


@router.get("/transfers/records", response_class=HTMLResponse)
def transfer_records(request: Request) -> HTMLResponse:
    options = options_of(request)
    cell = parse_cell(request.query_params.getlist("cell"), option="cell")
    spec = _spec(options, by="", origin=None, destination=None)
    found = service_transfers.records(request, spec, cell)
    return render(request, "transfers.html", options=options, records=found, coordinates=cell,
                  back_query=query_of(options), api_query=query_of({k: v for k, v in options.items()
                                                                 if k not in ("by", "origin", "destination")}, cell))
