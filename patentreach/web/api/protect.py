"""``POST /api/v1/protect/gaps``: ``patentreach protect gaps`` on uploaded files.

Uploading needs a signed-in user (401 otherwise; the session cookie of ``/login``). The form is
multipart: ``exports`` (file), ``portfolio`` (file) or ``entity`` (an id), ``as_of``, ``top``,
``format`` (json, csv, xlsx, ics). The JSON equals the CLI's ``--format json`` for the same
files and date; refusals are one line (413 too large, 415 not a CSV/XLSX, 400 the inputs'
problems, each naming file, row and column, in ``problems``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from patentreach.web import service_protect
from patentreach.web.errors import error_response
from patentreach.web.security import current_user

router = APIRouter(prefix="/protect", tags=["protection gaps"])

FORM_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "required": ["exports"],
            "properties": {
                "exports": {"type": "string", "format": "binary",
                            "description": "Export markets: CSV/XLSX of product line x country."},
                "portfolio": {"type": "string", "format": "binary",
                              "description": "Portfolio: CSV/XLSX, one row per family and office."},
                "entity": {"type": "string", "description": "Or: the portfolio of this harmonised entity id."},
                "as_of": {"type": "string", "format": "date", "description": "Date of the assessment (default today)."},
                "top": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 10,
                        "description": "Third-party grants and owners listed per gap."},
                "format": {"type": "string", "enum": list(service_protect.OUTPUTS), "default": "json"},
            },
        }, "example": {"as_of": "2026-06-01", "top": 10, "format": "json"}}},
    },
}


async def read_gap_form(request: Request) -> tuple[service_protect.GapRequest, dict[str, str]]:
    """The multipart form, bounded (a declared body beyond the limit is refused unread, 413): the
    checked request and the form's other text fields (``format``, ``csrf_token``)."""
    limit = request.app.state.config.max_upload_bytes
    if service_protect.form_too_large(request.headers.get("content-length"), limit):
        raise service_protect.UploadRefused(413, f"the upload is larger than the limit of {limit:,} bytes per file")
    form = await request.form(max_files=2, max_fields=10)
    try:
        texts = {name: value for name, value in form.items() if isinstance(value, str)}
        return await service_protect.gap_request(form, limit), texts
    finally:
        await form.close()


def input_problems(request: Request, exc: service_protect.GapInputError) -> Response:
    return JSONResponse({"error": str(exc), "status": 400, "problems": exc.problems}, status_code=400)


@router.post("/gaps", summary="Export protection gaps (protect gaps)", openapi_extra=FORM_SCHEMA)
async def gaps(request: Request) -> Response:
    """Unprotected export markets, open filing routes and deadlines, official fees, third-party risk."""
    if current_user(request) is None:
        return error_response(request, 401, "sign in first: uploading files needs an account")
    try:
        asked, texts = await read_gap_form(request)
        fmt = service_protect.parse_format(texts.get("format") or request.query_params.get("format"))
        report = await run_in_threadpool(service_protect.report_for, request, asked)
    except service_protect.UploadRefused as exc:
        return error_response(request, exc.status, str(exc))
    except service_protect.GapInputError as exc:
        return input_problems(request, exc)
    body, media_type, filename = service_protect.output(report, fmt)
    if fmt == "json":
        return Response(body, media_type=media_type)
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})

