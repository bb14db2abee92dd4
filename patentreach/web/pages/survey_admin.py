"""``/admin/survey``: the survey team's fieldwork page (signed in; analysts view and download,
administrators may also close the fieldwork).

For each bundled questionnaire (holder, patent): response rates per stratum and overall from
:func:`patentreach.survey.fieldwork.response_rates` (invited, opened, partial, complete, of which
web and paper, and the rate), the responses stored, whether fieldwork is closed, downloads of the
responses (CSV, XLSX, Parquet, SPSS, Stata, :mod:`patentreach.survey.exports`) and of the codebook
(:mod:`patentreach.survey.codebook`), labels in the page's language.

"Live" without a meta refresh: the page is complete and correct as served (JavaScript off: reload
it); ``/static/survey_admin.js`` polls ``/admin/survey/{form}/rates.json`` every few seconds and
redraws the tables. Closing goes through a confirmation page whose form posts with the session's
CSRF token. Handlers parse and delegate; a store that cannot be read is a 503 saying so, never a
traceback.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from patentreach.web.errors import error_response
from patentreach.web.i18n import gettext
from patentreach.web.security import require_csrf, require_role
from patentreach.web.security.refusals import N_, Refusal
from patentreach.web.survey_store import survey_engine
from patentreach.web.templating import render

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from patentreach.survey.instrument.form import Form

router = APIRouter()

FORMS = ("holder", "patent")
FORM_TITLES = {"holder": N_("Enterprise questionnaire"), "patent": N_("Patent questionnaire")}
RESPONSE_FORMATS = ("csv", "xlsx", "parquet", "sav", "dta")
CODEBOOK_MEDIA = {"csv": "text/csv; charset=utf-8",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "md": "text/markdown; charset=utf-8"}
POLL_SECONDS = 5
UNKNOWN_FORM = N_("There is no questionnaire %(form)s: choose holder or patent.")
UNKNOWN_FORMAT = N_("%(format)s is not a download format: choose one of %(choices)s.")
STORE_UNAVAILABLE = N_("The survey store cannot be read: %(error)s")
ALL_STRATA = N_("All strata")

Analyst = Annotated[dict, Depends(require_role("analyst"))]
Admin = Annotated[dict, Depends(require_role("admin"))]


def _form(name: str) -> Form:
    if name not in FORMS:
        raise Refusal(404, UNKNOWN_FORM, form=name)
    from patentreach.survey.instrument.form import load_form

    return load_form(name)


@contextmanager
def _store(request: Request) -> Iterator[Engine]:
    """The survey engine; a database that refuses (down, wrong URL) is a 503 with its first line."""
    from sqlalchemy.exc import SQLAlchemyError

    from patentreach.survey.store import StoreError

    try:
        yield survey_engine(request)
    except (SQLAlchemyError, StoreError, OSError) as exc:
        raise Refusal(503, STORE_UNAVAILABLE, error=str(exc).splitlines()[0]) from None


def _stratum_label(form: Form, stratum: str, lang: str) -> str:
    """``large|east`` as the form's own choice labels say it (``Large | Eastern region``)."""
    from patentreach.survey.instrument.form import pick_label

    if stratum == "all":
        return gettext(lang, ALL_STRATA)
    if not stratum:
        return "-"
    labels: dict[str, str] = {}
    for f in form.answers:
        if f.type == "select_one" and f.list_name:
            for choice in form.choices[f.list_name]:
                labels.setdefault(choice.name, pick_label(choice.labels, lang) or choice.name)
    return " | ".join(labels.get(part, part) for part in stratum.split("|"))


def form_status(engine: Engine, name: str, lang: str) -> dict[str, Any]:
    """What the page and ``rates.json`` show for one questionnaire: the rate rows (stratum
    ``all`` last), responses stored, and the closed state (when, by whom)."""
    from sqlalchemy import func, select

    from patentreach.survey.fieldwork import response_rates
    from patentreach.survey.store import fieldwork_log, responses

    form = _form(name)
    table = response_rates(engine, form)
    rows = [
        {
            "stratum": str(row["stratum"]),
            "label": _stratum_label(form, str(row["stratum"]), lang),
            **{key: int(row[key]) for key in ("invited", "opened", "partial", "complete", "web", "paper")},
            "response_rate": float(row["response_rate"]) if row["invited"] else None,
        }
        for row in table.to_dict("records")
    ]
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).where(responses.c.form_id == form.form_id)).scalar() or 0
        closed = conn.execute(
            select(fieldwork_log.c.closed_at, fieldwork_log.c.closed_by).where(fieldwork_log.c.form_id == form.form_id)
        ).first()
    closed_at = closed.closed_at if closed is not None else None
    return {
        "form": name,
        "form_id": form.form_id,
        "version": form.version,
        "rates": rows,
        "stored": int(stored),
        "closed": closed_at is not None,
        "closed_at": closed_at.isoformat() if closed_at is not None else None,
        "closed_by": (closed.closed_by or "") if closed is not None else "",
    }


@router.get("/admin/survey", response_class=HTMLResponse)
def survey_page(request: Request, user: Analyst) -> HTMLResponse:
    lang = request.state.lang
    with _store(request) as engine:
        forms = [{**form_status(engine, name, lang), "title": FORM_TITLES[name]} for name in FORMS]
    response = render(request, "survey_admin.html", forms=forms, response_formats=RESPONSE_FORMATS,
                      codebook_formats=tuple(CODEBOOK_MEDIA), poll_seconds=POLL_SECONDS,
                      can_close=user["role"] == "admin")
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/admin/survey/{form}/rates.json")
def rates_json(request: Request, form: str, user: Analyst) -> JSONResponse:
    with _store(request) as engine:
        status = form_status(engine, form, request.state.lang)
    return JSONResponse(status, headers={"Cache-Control": "no-store"})


def _check_format(fmt: str, choices: tuple[str, ...]) -> None:
    if fmt not in choices:
        raise Refusal(404, UNKNOWN_FORMAT, format=fmt, choices=", ".join(choices))


def _file_response(path: Path, media_type: str, filename: str) -> Response:
    return Response(path.read_bytes(), media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@router.get("/admin/survey/{form}/responses.{fmt}")
def download_responses(request: Request, form: str, fmt: str, user: Analyst) -> Response:
    from patentreach.survey.exports import MEDIA_TYPES, ExportError, write_responses
    from patentreach.survey.store import load_responses

    loaded = _form(form)
    _check_format(fmt, RESPONSE_FORMATS)
    with _store(request) as engine:
        data = load_responses(engine, loaded)
    with tempfile.TemporaryDirectory(prefix="patentreach-export-") as folder:
        path = Path(folder) / f"{form}-responses.{fmt}"
        try:
            write_responses(data, loaded, path, request.state.lang)
        except ExportError as exc:
            return error_response(request, 409, str(exc))
        return _file_response(path, MEDIA_TYPES[fmt], path.name)


@router.get("/admin/survey/{form}/codebook.{fmt}")
def download_codebook(request: Request, form: str, fmt: str, user: Analyst) -> Response:
    from patentreach.survey.codebook import write_codebook

    loaded = _form(form)
    _check_format(fmt, tuple(CODEBOOK_MEDIA))
    with tempfile.TemporaryDirectory(prefix="patentreach-codebook-") as folder:
        path = write_codebook(loaded, Path(folder) / f"{form}-codebook.{fmt}", request.state.lang)
        return _file_response(path, CODEBOOK_MEDIA[fmt], path.name)


@router.get("/admin/survey/{form}/close", response_class=HTMLResponse)
def confirm_close(request: Request, form: str, user: Admin) -> HTMLResponse:
    _form(form)
    with _store(request) as engine:
        status = form_status(engine, form, request.state.lang)
    response = render(request, "survey_admin_close.html", form={**status, "title": FORM_TITLES[form]})
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/admin/survey/{form}/close", dependencies=[Depends(require_csrf)])
def close(request: Request, form: str, user: Admin) -> RedirectResponse:
    from patentreach.survey.fieldwork import close_fieldwork, is_closed

    loaded = _form(form)
    with _store(request) as engine:
        if not is_closed(engine, loaded.form_id):  # closing twice keeps the first date
            close_fieldwork(engine, loaded, by=user["name"])
    return RedirectResponse(f"/admin/survey#form-{form}", status_code=303)
