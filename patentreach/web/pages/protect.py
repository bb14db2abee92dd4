"""``/protect``: the protection-gap report from an uploaded portfolio and export markets, for a
signed-in user (others are sent to ``/login?next=/protect``).

The form posts (multipart, with the session's CSRF token) to ``/protect``; the report is kept
for the user in the report store and the browser is redirected to ``/protect?report=ID`` (so a
reload does not post again). Its downloads, ``/protect/reports/ID/deadlines.ics`` and
``/protect/reports/ID/gaps.xlsx``, are made from the kept report: no second upload.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from patentreach.web import service_protect
from patentreach.web.api.protect import read_gap_form
from patentreach.web.errors import error_response
from patentreach.web.security import check_csrf, csrf_token, current_user
from patentreach.web.templating import render

router = APIRouter()
DOWNLOADS = {"deadlines.ics": "ics", "gaps.xlsx": "xlsx", "gaps.json": "json", "routes.csv": "csv"}


def _login(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)


def _page(request: Request, status_code: int = 200, **values: object) -> HTMLResponse:
    request.state.csrf_token = csrf_token(request)
    request.state.user = current_user(request)
    values.setdefault("report", None)
    values.setdefault("report_id", None)
    values.setdefault("problems", [])
    values.setdefault("as_of", "")
    report = values["report"]
    if report is not None:
        from patentreach.protect import report_data

        values["gap_columns"] = report_data.GAP_COLUMNS
        values["gaps"] = report_data.gap_rows(report)
        values["deadlines"] = report_data.deadline_rows(report)
        values["coverage_columns"] = report_data.COVERAGE_COLUMNS
        values["coverage"] = report_data.coverage_rows(report)
        values["renewals"] = report_data.renewal_rows(report)
    return render(request, "protect.html", status_code=status_code, **values)


@router.get("/protect", response_class=HTMLResponse)
def protect(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return _login(request)
    report_id = request.query_params.get("report")
    if not report_id:
        return _page(request)
    report = service_protect.store(request.app.state).get(user["name"], report_id)
    if report is None:
        return _page(request, 404, problems=[_expired(request)])
    return _page(request, report=report, report_id=report_id, as_of=report.as_of.isoformat())


@router.post("/protect", response_class=HTMLResponse)
async def protect_post(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return _login(request)
    try:
        asked, texts = await read_gap_form(request)
        check_csrf(request, texts.get("csrf_token"))
        report = await run_in_threadpool(service_protect.report_for, request, asked)
    except service_protect.UploadRefused as exc:
        return _page(request, exc.status, problems=[str(exc)])
    except service_protect.GapInputError as exc:
        return _page(request, 400, problems=exc.problems)
    report_id = service_protect.store(request.app.state).put(user["name"], report)
    return RedirectResponse(f"/protect?report={report_id}", status_code=303)


@router.get("/protect/reports/{report_id}/{filename}")
def download(request: Request, report_id: str, filename: str) -> Response:
    user = current_user(request)
    if user is None:
        return _login(request)
    fmt = DOWNLOADS.get(filename)
    report = service_protect.store(request.app.state).get(user["name"], report_id) if fmt else None
    if report is None or fmt is None:
        return error_response(request, 404, _expired(request))
    body, media_type, name = service_protect.output(report, fmt)
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _expired(request: Request) -> str:
    from patentreach.web.i18n import gettext

    return gettext(request.state.lang, "This report is no longer kept (reports are kept for 30 minutes): "
                                       "upload the files again.")
