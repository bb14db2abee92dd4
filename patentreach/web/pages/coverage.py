"""``/coverage``: what the warehouse holds (``patentreach info``: totals, offices, years, sources,
coverage of origin and sector, documents typed other, the state of the harmonised tables, the
ingest log)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from patentreach.web import errors
from patentreach.web.security import csrf_token
from patentreach.web.service_coverage import warehouse_coverage
from patentreach.web.templating import render

router = APIRouter()


@router.get("/coverage", response_class=HTMLResponse)
def coverage_page(request: Request) -> HTMLResponse:
    request.state.csrf_token = csrf_token(request)
    try:
        sections = warehouse_coverage(request)["sections"]
    except errors.refused_types() as exc:
        return render(request, "coverage.html", status_code=errors._status(exc), problem=errors.message_of(exc),
                      sections=[])
    return render(request, "coverage.html", problem=None, sections=sections)
