"""Cross-site request forgery: every page form's token, the API's header, Origin/Referer."""

from __future__ import annotations

import inspect

import pytest
from fastapi import FastAPI, Request
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from patentreach.web.security import require_csrf
from tests.web.security.conftest import PASSWORD, form_token, sign_in

EXPIRED = {"en": "the form has expired or did not come from this site: reload the page and try again",
           "zh": "表单已过期或并非来自本站：请刷新页面后重试"}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_a_post_without_the_sessions_token_is_a_403_page_in_the_requests_language(
        bare: TestClient, lang: str, token: str | None) -> None:
    bare.cookies.set("lang", lang)
    form_token(bare)  # the session has a token; the post does not carry it
    data = {"username": "alice", "password": PASSWORD} | ({} if token is None else {"csrf_token": token})
    answer = bare.post("/login", data=data)
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("text/html")
    assert f'<p class="message">{EXPIRED[lang]}</p>' in answer.text
    assert 'id="user-name"' not in bare.get("/login").text


def test_a_token_from_another_session_is_refused(bare: TestClient, bare_app: FastAPI) -> None:
    other = TestClient(bare_app)
    stolen = form_token(other)
    form_token(bare)
    answer = bare.post("/login", data={"username": "alice", "password": PASSWORD, "csrf_token": stolen})
    assert answer.status_code == 403


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Origin": "null"},
                                     {"Referer": "https://evil.example/page"}, {"Origin": "http://testserver.evil"},
                                     {"Origin": "http://testserver:8080"}])
def test_a_cross_site_post_is_refused_even_with_the_token(bare: TestClient, headers: dict[str, str]) -> None:
    token = form_token(bare)
    answer = bare.post("/login", data={"username": "alice", "password": PASSWORD, "csrf_token": token},
                       headers=headers, follow_redirects=False)
    assert answer.status_code == 403
    assert '<p class="message">refused: the request came from another site</p>' in answer.text


@pytest.mark.parametrize("headers", [{}, {"Origin": "http://testserver"}, {"Origin": "http://TESTSERVER:80"},
                                     {"Referer": "http://testserver/login?next=/"}])
def test_a_same_site_post_passes(bare: TestClient, headers: dict[str, str]) -> None:
    answer = bare.post("/login", data={"username": "alice", "password": PASSWORD, "csrf_token": form_token(bare)},
                       headers=headers, follow_redirects=False)
    assert answer.status_code == 303


def test_api_writes_with_a_session_carry_the_token_header(bare_app: FastAPI) -> None:
    @bare_app.post("/api/v1/probe")
    def probe(request: Request) -> dict:
        return {"user": getattr(request.state, "user", None)}

    anonymous = TestClient(bare_app)
    assert anonymous.post("/api/v1/probe").json() == {"user": None}  # no session: nothing to forge
    client = TestClient(bare_app, cookies={"lang": "zh"})
    sign_in(client)
    refused = client.post("/api/v1/probe")
    assert (refused.status_code, refused.json()) == (403, {
        "error": "the form has expired or did not come from this site: reload the page and try again", "status": 403})
    assert client.post("/api/v1/probe", headers={"X-CSRF-Token": "forged"}).status_code == 403
    accepted = client.post("/api/v1/probe", headers={"X-CSRF-Token": form_token(client)})
    assert accepted.json() == {"user": {"name": "alice", "role": "analyst"}}
    cross = client.post("/api/v1/probe", headers={"X-CSRF-Token": form_token(client), "Origin": "https://evil.example"})
    assert (cross.status_code, cross.json()["error"]) == (403, "refused: the request came from another site")


def _depends_on(dependant, wanted) -> bool:  # type: ignore[no-untyped-def]
    return any(d.call is wanted or _depends_on(d, wanted) for d in dependant.dependencies)


def _writing_routes(routes, prefix: str = "", inherited: tuple = ()):  # type: ignore[no-untyped-def]
    """(path, checks the token?) of every route taking a write: it depends on ``require_csrf`` or
    calls ``check_csrf(request, ...)`` itself (after reading its own form). Through included routers (FastAPI
    keeps an included router as one lazy route whose context holds its prefix and dependencies)."""
    for route in routes:
        if isinstance(route, APIRoute):
            if route.methods & {"POST", "PUT", "PATCH", "DELETE"}:
                yield prefix + route.path, (require_csrf in inherited or _depends_on(route.dependant, require_csrf)
                                            or "check_csrf(request" in inspect.getsource(route.endpoint))
        elif hasattr(route, "original_router"):
            context = route.include_context
            yield from _writing_routes(route.original_router.routes, prefix + context.prefix,
                                       inherited + tuple(d.dependency for d in context.dependencies))


def test_every_page_route_that_accepts_a_post_checks_the_token(app: FastAPI, bare_app: FastAPI) -> None:
    """A guard for pages added later (protect uploads, survey administration): a form route
    neither depending on ``require_csrf`` nor calling ``check_csrf`` fails here."""
    for application in (app, bare_app):
        pages = dict(item for item in _writing_routes(application.routes) if not item[0].startswith("/api/"))
        assert {"/login", "/logout", "/admin/users", "/admin/users/role", "/admin/users/remove"} <= set(pages)
        assert [path for path, checked in pages.items() if not checked] == []

    @bare_app.post("/unchecked-form")
    def unchecked() -> None: ...

    assert dict(_writing_routes(bare_app.routes))["/unchecked-form"] is False  # the guard sees one
