"""``/reference``: the reference tables (what each holds, how many rows, how many verified) and
``/reference/{name}``: every row of one, with its source and checked date."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from patentreach.web import service_reference
from patentreach.web.errors import error_response
from patentreach.web.templating import render

router = APIRouter()


@router.get("/reference", response_class=HTMLResponse)
def reference(request: Request) -> Response:
    tables = service_reference.tables()
    verified = {}
    for table in tables:
        columns, rows = service_reference.table(table["name"])
        verified[table["name"]] = dict(Counter(str(row.get("verified", "")) or "-" for row in rows)) \
            if "verified" in columns else {}
    return render(request, "reference.html", tables=tables, verified=verified, shown=None)


@router.get("/reference/{name}", response_class=HTMLResponse)
def reference_table(request: Request, name: str) -> Response:
    try:
        columns, rows = service_reference.table(name)
    except service_reference.UnknownTable as exc:
        return error_response(request, 404, str(exc))
    return render(request, "reference.html", tables=None, shown=name, columns=columns, rows=rows)
