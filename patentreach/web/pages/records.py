"""``/records?<the dashboard's options>&cell=office=US&cell=year=2021``: the publications behind
one cell of the dashboard's table (``stats records``), at most ``PAGE_ROWS`` of them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from patentreach.web import errors, service
from patentreach.web.pages.dashboard import COLUMN_TITLES, SWITCH_TITLES, query_string, read_options, spec_of
from patentreach.web.security import csrf_token
from patentreach.web.templating import render

router = APIRouter()

PAGE_ROWS = 500
"""Rows a records page shows; the download links give them all."""
SHOWN_COLUMNS = ("pub_id", "office", "day", "origin", "entity_name", "sector", "route", "weight")


@router.get("/records", response_class=HTMLResponse)
def records_page(request: Request) -> HTMLResponse:
    from patentreach.indicators.spec import Cell

    request.state.csrf_token = csrf_token(request)
    options = read_options(request)
    cells = request.query_params.getlist("cell")
    values: dict[str, Any] = {"problem": None, "cells": cells, "column_titles": COLUMN_TITLES,
                              "switch_titles": SWITCH_TITLES,
                              "back": "/?" + query_string(options),
                              "download": "/api/v1/outbound/records?" + query_string(options, cell=cells)}
    try:
        spec = spec_of(options)
        keys = Cell.parse(cells).keys
        result = service.records(request, spec, keys, PAGE_ROWS + 1)
    except errors.refused_types() as exc:
        values["problem"] = errors.message_of(exc)
        return render(request, "records.html", status_code=errors.status_of(exc), **values)
    columns = [c for c in SHOWN_COLUMNS if c in result.columns]
    rows = result.rows[:PAGE_ROWS]
    values |= {"result": result, "rows": rows, "cut": len(result.rows) > PAGE_ROWS,
               "publications": len({row["pub_id"] for row in rows}),
               "columns": columns, "keys": keys, "limit": PAGE_ROWS}
    return render(request, "records.html", **values)
