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


def N_(message: str) -> str:  # gettext's marker for the catalog extractor
    return message


SECTION_TITLES = {title: title for title in (
    N_("totals"), N_("publications by office and document type"), N_("publications by year of publication"),
    N_("publications by source format"), N_("parties whose country is not recognised"),
    N_("coverage: publications without origin country, without sector (first applicant), typed other"),
    N_("documents typed other, per office and reason (in no count of grants or applications)"),
    N_("harmonised tables"), N_("ingest log"),
    N_("files that failed (nothing of them is in the warehouse; re-run ingest to retry)"),
)}
"""The titles of ``patentreach info``'s sections (``warehouse.summary``), for the catalog; a title
not listed here is shown as the library wrote it."""
INFO_COLUMNS = {column: column for column in (
    N_("publications"), N_("parties"), N_("classifications"), N_("priorities"), N_("quarantined"), N_("warnings"),
    N_("transfers"), N_("files"), N_("office"), N_("doc_type"), N_("year"), N_("source_format"), N_("country_raw"),
    N_("source"), N_("pubs"), N_("no_origin"), N_("no_origin_pct"), N_("no_sector"), N_("no_sector_pct"),
    N_("other"), N_("other_pct"), N_("reason"), N_("documents"), N_("kinds"), N_("said"), N_("status"), N_("path"),
    N_("reader"), N_("read"), N_("stored"), N_("skipped"), N_("finished"), N_("read_before_failure"), N_("error"),
    N_("failed"),
)}
"""The column names of those sections, for the catalog."""


@router.get("/coverage", response_class=HTMLResponse)
def coverage_page(request: Request) -> HTMLResponse:
    request.state.csrf_token = csrf_token(request)
    try:
        sections = warehouse_coverage(request)["sections"]
    except errors.refused_types() as exc:
        return render(request, "coverage.html", status_code=errors.status_of(exc), problem=errors.message_of(exc),
                      sections=[], titles=SECTION_TITLES, columns=INFO_COLUMNS)
    return render(request, "coverage.html", problem=None, sections=sections, titles=SECTION_TITLES,
                  columns=INFO_COLUMNS)
