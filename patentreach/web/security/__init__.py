"""Who may do what, and the service's defences, one module each:

* ``users`` (the SQLite store, roles ``viewer`` < ``analyst`` < ``admin``) and ``passwords``
  (argon2id);
* ``sessions``: signed-cookie sessions, ``current_user`` / ``require_user`` / ``require_role``;
* ``csrf``: the per-session token every form and session-authenticated API write carries, and
  the Origin/Referer check on every write;
* ``rate_limit``: requests per client address, failed sign-ins per name and address;
* ``headers``: the security headers on every response;
* ``uploads``: the request body cap and ``read_upload`` for uploaded files;
* ``refusals``: how all of these say no (one line, 4xx, in the request's language).

Reading figures needs no sign-in; uploading needs ``analyst``, managing users ``admin``.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from patentreach.web.config import ServeConfig
from patentreach.web.security import refusals
from patentreach.web.security.csrf import CSRF_HEADER, CSRF_KEY, CsrfGuard, check_csrf, csrf_token, require_csrf
from patentreach.web.security.headers import SecurityHeaders
from patentreach.web.security.rate_limit import RateLimit, login_window
from patentreach.web.security.refusals import Refusal
from patentreach.web.security.sessions import (
    SESSION_COOKIE,
    SESSION_MAX_AGE,
    SessionContext,
    current_user,
    require_role,
    require_user,
)
from patentreach.web.security.uploads import FORM_OVERHEAD, BodyLimit, CheckedUpload, read_upload, upload_limit

__all__ = [
    "CSRF_HEADER", "CSRF_KEY", "SESSION_COOKIE", "CheckedUpload", "Refusal", "check_csrf", "csrf_token",
    "current_user", "install", "read_upload", "require_csrf", "require_role", "require_user", "upload_limit",
]


def install(app: FastAPI, config: ServeConfig) -> None:
    """The defences, outermost first: security headers (so every answer has them, refusals
    too), the per-address rate limit, the body size cap, the signed session, the session's user
    and CSRF token on ``request.state``, and the cross-site write guard."""
    app.state.login_failures = login_window()
    refusals.install(app)
    # add_middleware puts each one outside the ones before it: innermost first
    app.add_middleware(CsrfGuard)
    app.add_middleware(SessionContext, state_dir=config.state_dir)
    app.add_middleware(SessionMiddleware, secret_key=config.secret_key(), session_cookie=SESSION_COOKIE,
                       max_age=SESSION_MAX_AGE, same_site="lax", https_only=config.https_only_cookies)
    app.add_middleware(BodyLimit, limit=config.max_upload_bytes + FORM_OVERHEAD)
    app.add_middleware(RateLimit, per_minute=config.rate_limit_per_minute)
    app.add_middleware(SecurityHeaders, https_only=config.https_only_cookies)
