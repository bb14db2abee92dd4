"""How the defences say no: one line, a 4xx status, in the request's language on a page and in
English under ``/api/`` (as the library's own messages are), through the foundation's
``errors.error_response`` (JSON ``{"error", "status"}`` or the error page).

``Refusal`` is an ``HTTPException``, so FastAPI lets it through while it parses a body (an
oversized stream is a 413, not "error parsing the body") and routes may simply raise it.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import Response
from starlette.types import Receive, Scope, Send

from patentreach.web.i18n import LANGUAGE_COOKIE, choose_language, gettext


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs (gettext's conventional name: Babel extracts ``N_("...")``
    like ``_("...")``); it is translated where it is shown."""
    return message


class Refusal(HTTPException):
    """A request the defences refuse. ``message`` is the English msgid (``auth.po`` translates
    it) with ``%(name)s`` placeholders filled from ``values``."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None,
                 **values: object) -> None:
        super().__init__(status_code=status, detail=message % values if values else message,
                         headers=dict(headers) if headers else None)
        self.message = message
        self.values = values


def language_of(request: Request) -> str:
    """The request's language, also for refusals made before the language middleware ran."""
    lang = getattr(request.state, "lang", None)
    if lang is None:
        lang = choose_language(request.query_params.get("lang"), request.cookies.get(LANGUAGE_COOKIE),
                               request.headers.get("accept-language"))
        request.state.lang = lang
    return lang


def wording(request: Request, message: str, **values: object) -> str:
    """``message`` as this request reads it: translated on pages, English under /api/."""
    if request.url.path.startswith("/api/"):
        return message % values if values else message
    return gettext(language_of(request), message, **values)


def refusal_response(request: Request, refusal: Refusal) -> Response:
    from fastapi.responses import RedirectResponse

    from patentreach.web.errors import error_response

    if 300 <= refusal.status_code < 400:  # "sign in first" on a page: go there, and come back
        return RedirectResponse(refusal.headers["Location"], status_code=refusal.status_code)  # type: ignore[index]
    response = error_response(request, refusal.status_code, wording(request, refusal.message, **refusal.values))
    for header, value in (refusal.headers or {}).items():
        response.headers[header] = value
    return response


async def send_refusal(scope: Scope, receive: Receive, send: Send, refusal: Refusal) -> None:
    """Answer with ``refusal`` from a middleware (outside the exception handlers)."""
    await refusal_response(Request(scope, receive), refusal)(scope, receive, send)


def install(app: FastAPI) -> None:
    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Refusal)
        return refusal_response(request, exc)

    app.add_exception_handler(Refusal, refused)
