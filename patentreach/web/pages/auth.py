"""``/login`` and ``/logout``: signing in with a name and password from the user store.

Wrong credentials get the form again (401) with one message whether the name is unknown or the
password wrong; five failures in fifteen minutes for one name from one address get 429 with
``Retry-After``. After signing in the visitor goes to ``next``, which must be a path on this
site (never another host: no open redirect).

``/admin/users``: the administrators' page of accounts (the same store and rules as
``patentreach users``): add a user, change a role, remove a user. An admin cannot remove or
demote themselves there, so the service always keeps one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from patentreach.web.i18n import gettext
from patentreach.web.security import require_csrf, require_role
from patentreach.web.security.passwords import WeakPassword
from patentreach.web.security.rate_limit import client_address
from patentreach.web.security.refusals import N_
from patentreach.web.security.sessions import sign_in, sign_out
from patentreach.web.security.users import ROLES, UserError, add_user, authenticate, list_users, remove_user, set_role
from patentreach.web.templating import render

router = APIRouter()

WRONG_CREDENTIALS = N_("Wrong user name or password.")
ROLE_NAMES = (N_("viewer"), N_("analyst"), N_("admin"))
"""The roles as the users page names them (``users.ROLES``, marked for the catalogs)."""
THROTTLED = N_("Too many failed sign-ins: try again in %(minutes)s minutes.")


def safe_next(target: str | None) -> str:
    """``target`` when it is a path on this site, else ``/``: no scheme, no host, no ``//`` or
    backslash tricks, no control characters."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ord(character) < 32 or character == "\\" for character in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def _form(request: Request, status: int = 200, error: str | None = None, username: str = "",
          next_path: str = "/", headers: dict[str, str] | None = None) -> HTMLResponse:
    response = render(request, "login.html", status_code=status, error=error, username=username, next_path=next_path)
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    return _form(request, next_path=safe_next(next))


@router.post("/login", dependencies=[Depends(require_csrf)], response_class=HTMLResponse)
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    lang = request.state.lang
    failures = request.app.state.login_failures
    key = (username.strip().casefold(), client_address(request.scope))
    next_path = safe_next(next)
    if not failures.allows(*key):
        seconds = failures.retry_after(*key)
        return _form(request, 429, gettext(lang, THROTTLED, minutes=max(1, -(-seconds // 60))), username, next_path,
                     headers={"Retry-After": str(seconds)})
    user = await run_in_threadpool(authenticate, request.app.state.config.state_dir, username.strip(), password)
    if user is None:
        failures.hit(*key)
        return _form(request, 401, gettext(lang, WRONG_CREDENTIALS), username, next_path)
    failures.clear(*key)
    sign_in(request, user.session_value())
    return RedirectResponse(next_path, status_code=303)


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request) -> RedirectResponse:
    sign_out(request)
    return RedirectResponse("/", status_code=303)


# --- /admin/users -------------------------------------------------------------------------

Admin = Annotated[dict, Depends(require_role("admin"))]
NOT_YOURSELF = N_("You cannot remove or demote yourself here: another administrator (or `patentreach users`) can.")


def _users_page(request: Request, status: int = 200, error: str | None = None) -> HTMLResponse:
    users = list_users(request.app.state.config.state_dir)
    response = render(request, "admin_users.html", status_code=status, users=users, roles=ROLES, error=error)
    response.headers["Cache-Control"] = "no-store"
    return response


def _back() -> RedirectResponse:
    return RedirectResponse("/admin/users", status_code=303)


async def _apply(request: Request, change: Callable[..., object], *args: object) -> Response:
    try:
        await run_in_threadpool(change, request.app.state.config.state_dir, *args)
    except (UserError, WeakPassword) as exc:
        return _users_page(request, 400, str(exc))
    return _back()


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, admin: Admin) -> HTMLResponse:
    return _users_page(request)


@router.post("/admin/users", dependencies=[Depends(require_csrf)])
async def add_account(request: Request, admin: Admin, username: Annotated[str, Form(max_length=200)] = "",
              password: Annotated[str, Form(max_length=2000)] = "",
              role: Annotated[str, Form(max_length=20)] = "viewer") -> Response:
    return await _apply(request, add_user, username.strip(), password, role)


@router.post("/admin/users/role", dependencies=[Depends(require_csrf)])
async def change_role(request: Request, admin: Admin, username: Annotated[str, Form(max_length=200)] = "",
                      role: Annotated[str, Form(max_length=20)] = "") -> Response:
    if username.casefold() == admin["name"].casefold():
        return _users_page(request, 400, gettext(request.state.lang, NOT_YOURSELF))
    return await _apply(request, set_role, username, role)


@router.post("/admin/users/remove", dependencies=[Depends(require_csrf)])
async def remove_account(request: Request, admin: Admin,
                         username: Annotated[str, Form(max_length=200)] = "") -> Response:
    if username.casefold() == admin["name"].casefold():
        return _users_page(request, 400, gettext(request.state.lang, NOT_YOURSELF))
    return await _apply(request, remove_user, username)
