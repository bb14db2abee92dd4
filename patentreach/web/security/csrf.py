"""Cross-site request forgery: a token per session that every form (``csrf_token``) and every
session-authenticated API write (``X-CSRF-Token`` header) carries, compared in constant time;
and, for every unsafe method, a refusal when ``Origin`` (or, without it, ``Referer``) names
another site.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from patentreach.web.security.refusals import N_, Refusal, send_refusal

CSRF_KEY = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EXPIRED = N_("the form has expired or did not come from this site: reload the page and try again")
CROSS_SITE = N_("refused: the request came from another site")
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use); every form carries it as ``csrf_token``."""
    token = request.session.get(CSRF_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_KEY] = token
    return token


def rotate_csrf_token(request: Request) -> str:
    request.session.pop(CSRF_KEY, None)
    return csrf_token(request)


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse (403, in the request's language) a post whose token is not the session's."""
    expected = request.session.get(CSRF_KEY)
    if not isinstance(expected, str) or not expected or not isinstance(submitted, str) or not submitted \
            or not secrets.compare_digest(expected.encode(), submitted.encode()):
        raise Refusal(403, EXPIRED)


async def require_csrf(request: Request) -> None:
    """A dependency for every page route that accepts a POST: the form's ``csrf_token`` field (or
    the ``X-CSRF-Token`` header, for scripts) must be the session's token."""
    submitted = request.headers.get(CSRF_HEADER)
    if submitted is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get(CSRF_FIELD)
            submitted = value if isinstance(value, str) else None
    check_csrf(request, submitted)


def _netloc(url_scheme: str, netloc: str) -> str:
    host = netloc.lower()
    default = _DEFAULT_PORTS.get(url_scheme)
    if default and host.endswith(":" + default):
        host = host[: -len(default) - 1]
    return host


def same_site_source(request: Request) -> bool:
    """False when ``Origin`` (else ``Referer``) is present and is not this host (or is
    ``null``); True when neither is sent (the token still guards forms)."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if source is None:
        return True
    parts = urlsplit(source)
    if parts.scheme not in _DEFAULT_PORTS or not parts.netloc:
        return False
    host = request.headers.get("host", "")
    return _netloc(parts.scheme, parts.netloc) == _netloc(request.url.scheme, host)


class CsrfGuard:
    """Refuses cross-site writes, and session-authenticated API writes without the
    ``X-CSRF-Token`` header (a call authenticated by an API token needs none: a browser
    never adds that header to a cross-site request). Runs inside the session middleware; page forms are checked by
    their routes (``require_csrf``), which read the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in UNSAFE_METHODS:
            request = Request(scope)
            if not same_site_source(request):
                return await send_refusal(scope, receive, send, Refusal(403, CROSS_SITE))
            if scope["path"].startswith("/api/") and request.session.get("user") is not None \
                    and not getattr(request.state, "token_user", False):
                try:
                    check_csrf(request, request.headers.get(CSRF_HEADER))
                except Refusal as refusal:
                    return await send_refusal(scope, receive, send, refusal)
        await self.app(scope, receive, send)
