"""Who may do what, and the service's defences.

Foundation version (the security work fills it in): signed-cookie sessions, a CSRF token per
session, ``current_user`` / ``require_user`` dependencies. Reading figures needs no login;
anything that uploads or writes (protection gaps, the survey's administration) needs one.
"""

from __future__ import annotations

import secrets

from fastapi import FastAPI, HTTPException, Request
from starlette.middleware.sessions import SessionMiddleware

from patentreach.web.config import ServeConfig

SESSION_COOKIE = "patentreach_session"
CSRF_KEY = "csrf"


def install(app: FastAPI, config: ServeConfig) -> None:
    """Sessions (signed cookies, same-site lax) on ``app``."""
    app.add_middleware(SessionMiddleware, secret_key=config.secret_key(), session_cookie=SESSION_COOKIE,
                       same_site="lax", https_only=config.https_only_cookies)


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use); every form carries it as ``csrf_token``."""
    token = request.session.get(CSRF_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_KEY] = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse (403) a form post whose token is not the session's."""
    expected = request.session.get(CSRF_KEY)
    if not expected or not submitted or not secrets.compare_digest(expected, submitted):
        raise HTTPException(status_code=403, detail="the form has expired or did not come from this site: reload it")


def current_user(request: Request) -> dict | None:
    """The signed-in user (``{"name": ..., "role": ...}``) or None."""
    return request.session.get("user")


def require_user(request: Request) -> dict:
    """A dependency for routes that upload or write: 401 when nobody is signed in."""
    user = current_user(request)
    if user is None:
        raise HTTPException(status_code=401, detail="sign in first")
    return user
