"""Who is signed in: Starlette's signed-cookie sessions (itsdangerous; the key is the state
folder's ``secret_key``, shared by every worker), checked against the user store on every request.

The cookie is HttpOnly, SameSite=Lax, Secure behind TLS (``https_only_cookies``) and expires
after eight hours (the signature's age is checked on the server too). The session keeps
``{"name", "role", "epoch"}``; a user removed, or whose role or password changed since (the
store's ``epoch`` grew), is signed out on their next request.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from patentreach.web.security.api_tokens import user_for_token
from patentreach.web.security.csrf import csrf_token
from patentreach.web.security.refusals import N_, Refusal, send_refusal
from patentreach.web.security.users import ROLES, find_user, role_rank

SESSION_COOKIE = "patentreach_session"
SESSION_MAX_AGE = 8 * 3600
USER_KEY = "user"
_UNCHECKED = object()
BAD_AUTHORIZATION = "the Authorization header must be: Bearer <token>"
BAD_TOKEN = "the API token is not valid (an administrator can issue one: patentreach users token NAME)"
CHALLENGE = {"WWW-Authenticate": "Bearer"}
SIGN_IN_FIRST = N_("sign in first")
NEEDS_ROLE = N_("this needs the %(role)s role")


def _still_valid(state_dir: Path, kept: Any) -> dict | None:
    """The session's user as the store has it now, or None when it no longer stands."""
    if not isinstance(kept, dict) or not isinstance(kept.get("name"), str):
        return None
    found = find_user(state_dir, kept["name"])
    if found is None or found.epoch != kept.get("epoch") or found.role != kept.get("role"):
        return None
    return {"name": found.name, "role": found.role}


def _private(send: Send) -> Send:
    """``send`` adding ``Cache-Control: private, no-store`` (unless the route chose one): what a
    signed-in user sees (their reports, the users page) is kept by no cache."""

    async def send_private(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            if "cache-control" not in headers:
                headers["Cache-Control"] = "private, no-store"
        await send(message)

    return send_private


class SessionContext:
    """Puts ``user`` (checked against the store) and, on pages, ``csrf_token`` on
    ``request.state``, where the templates and ``current_user`` find them. Runs inside the
    session middleware."""

    def __init__(self, app: ASGIApp, state_dir: Path) -> None:
        self.app = app
        self.state_dir = state_dir

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/") \
                and (authorization := Request(scope).headers.get("authorization")) is not None:
            return await self._with_token(scope, receive, send, authorization)
        if scope["type"] == "http":
            request = Request(scope)
            kept = request.session.get(USER_KEY)
            user = None
            if kept is not None:
                user = await run_in_threadpool(_still_valid, self.state_dir, kept)
                if user is None:
                    request.session.pop(USER_KEY, None)
            request.state.user = user
            if not scope["path"].startswith(("/api/", "/static/")):
                request.state.csrf_token = csrf_token(request)
            if user is not None and not scope["path"].startswith("/static/"):
                return await self.app(scope, receive, _private(send))
        await self.app(scope, receive, send)

    async def _with_token(self, scope: Scope, receive: Receive, send: Send, authorization: str) -> None:
        """An API call with ``Authorization: Bearer <token>``: the token's user, or 401."""
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return await send_refusal(scope, receive, send, Refusal(401, BAD_AUTHORIZATION, headers=CHALLENGE))
        found = await run_in_threadpool(user_for_token, self.state_dir, token.strip())
        if found is None:
            return await send_refusal(scope, receive, send, Refusal(401, BAD_TOKEN, headers=CHALLENGE))
        request = Request(scope)
        request.state.user = {"name": found.name, "role": found.role}
        request.state.token_user = True  # not a browser session: no CSRF header needed
        await self.app(scope, receive, _private(send))


def current_user(request: Request) -> dict | None:
    """The signed-in user (``{"name": ..., "role": ...}``) or None."""
    user = getattr(request.state, "user", _UNCHECKED)
    if user is _UNCHECKED:
        user = _still_valid(request.app.state.config.state_dir, request.session.get(USER_KEY))
        request.state.user = user
    return user  # type: ignore[return-value]


def require_user(request: Request) -> dict:
    """A dependency for routes that upload or write: a page sends the visitor to sign in (and
    back), the API answers 401."""
    user = current_user(request)
    if user is None:
        if request.method in ("GET", "HEAD") and not request.url.path.startswith("/api/"):
            from urllib.parse import quote

            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise Refusal(303, SIGN_IN_FIRST, headers={"Location": f"/login?next={quote(target, safe='/')}"})
        raise Refusal(401, SIGN_IN_FIRST)
    return user


def require_role(role: str) -> Callable[[Request], dict]:
    """A dependency: the signed-in user, who must hold ``role`` or a stronger one (else 403)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: choose {', '.join(ROLES)}")

    def dependency(request: Request) -> dict:
        user = require_user(request)
        if role_rank(user["role"]) < role_rank(role):
            raise Refusal(403, NEEDS_ROLE, role=role)
        return user

    dependency.__name__ = f"require_{role}"
    return dependency


def sign_in(request: Request, user: dict) -> None:
    """Start a fresh session for ``user`` (nothing of the anonymous one is kept) with a new
    CSRF token."""
    request.session.clear()
    request.session[USER_KEY] = user
    request.state.user = {"name": user["name"], "role": user["role"]}
    request.state.csrf_token = csrf_token(request)


def sign_out(request: Request) -> None:
    request.session.clear()
    request.state.user = None
    request.state.csrf_token = csrf_token(request)
