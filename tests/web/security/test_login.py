"""Signing in and out: the form, one message for any wrong credentials, the throttle, no open
redirect, the cookie's flags, and sessions that end when the store changes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from patentreach.web.security.users import set_password
from tests.web.security.conftest import PASSWORD, form_token, sign_in


def test_the_form_has_what_the_browser_tests_use(bare: TestClient) -> None:
    page = bare.get("/login")
    assert page.status_code == 200
    for part in ('<form id="login-form" method="post" action="/login"', 'name="username"', 'name="password"',
                 'name="csrf_token"', 'id="login-submit"', 'id="login-link"'):
        assert part in page.text
    assert "login-error" not in page.text
    assert page.headers["cache-control"] == "no-store"


def test_signing_in_goes_to_next_and_shows_the_name(bare: TestClient) -> None:
    token = form_token(bare, "/login?next=/protect%3Fyear%3D2021")
    assert 'name="next" value="/protect?year=2021"' in bare.get("/login?next=/protect%3Fyear%3D2021").text
    answer = bare.post("/login", data={"username": "alice", "password": PASSWORD, "csrf_token": token,
                                       "next": "/protect?year=2021"}, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/protect?year=2021")
    page = bare.get("/login")
    assert '<span id="user-name">alice</span>' in page.text
    assert bare.get("/no-such-page").headers["cache-control"] == "private, no-store"  # signed in: no cache keeps it
    assert "cache-control" not in TestClient(bare.app).get("/no-such-page").headers
    assert 'id="logout-form"' in page.text
    assert form_token(bare) != token  # the token is rotated when the session's user changes


@pytest.mark.parametrize(("lang", "message"), [("en", "Wrong user name or password."), ("zh", "用户名或密码错误。")])
def test_wrong_password_and_unknown_user_get_the_same_answer(bare: TestClient, lang: str, message: str) -> None:
    bare.cookies.set("lang", lang)
    answers = [bare.post("/login", data={"username": name, "password": password, "csrf_token": form_token(bare)})
               for name, password in (("alice", PASSWORD + "!"), ("nobody", PASSWORD))]
    assert [a.status_code for a in answers] == [401, 401]
    assert [a.text.count(f'<p id="login-error" class="error" role="alert">{message}</p>') for a in answers] == [1, 1]
    assert answers[0].text.replace('value="alice"', 'value="nobody"') == answers[1].text  # nothing else differs


def test_five_failures_throttle_that_name_from_that_address(bare: TestClient) -> None:
    token = form_token(bare)
    for _ in range(5):
        assert bare.post("/login", data={"username": "alice", "password": "guess guess", "csrf_token": token}
                         ).status_code == 401
    throttled = bare.post("/login", data={"username": "Alice", "password": PASSWORD, "csrf_token": token})
    assert throttled.status_code == 429
    assert 895 <= int(throttled.headers["retry-after"]) <= 900
    assert "Too many failed sign-ins: try again in 15 minutes." in throttled.text
    other = bare.post("/login", data={"username": "root", "password": PASSWORD + " admin", "csrf_token": token},
                      follow_redirects=False)
    assert other.status_code == 303  # another name is not throttled


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil.example",
                                    "javascript:alert(1)", "/\t/evil.example", "http:/evil.example"])
def test_next_must_be_a_path_on_this_site(bare: TestClient, target: str) -> None:
    answer = bare.post("/login", data={"username": "alice", "password": PASSWORD, "csrf_token": form_token(bare),
                                       "next": target}, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/")


def test_the_session_cookie_flags(bare: TestClient, make_app) -> None:
    cookie = bare.get("/login").headers["set-cookie"]
    assert cookie.startswith("patentreach_session=")
    assert {"httponly", "samesite=lax", "max-age=28800", "path=/"} <= {p.strip().lower() for p in cookie.split(";")}
    assert "secure" not in cookie.lower()
    behind_tls = TestClient(make_app(https_only_cookies=True), base_url="https://testserver")
    assert "; secure" in behind_tls.get("/login").headers["set-cookie"].lower()


def test_signing_out_needs_the_token_and_ends_the_session(bare: TestClient) -> None:
    sign_in(bare)
    assert bare.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    assert 'id="user-name"' in bare.get("/login").text
    out = bare.post("/logout", data={"csrf_token": form_token(bare)}, follow_redirects=False)
    assert (out.status_code, out.headers["location"]) == (303, "/")
    assert 'id="user-name"' not in bare.get("/login").text


def test_a_password_change_ends_older_sessions(bare: TestClient, bare_app) -> None:
    sign_in(bare)
    kept = bare.cookies.get("patentreach_session")
    set_password(bare_app.state.config.state_dir, "alice", PASSWORD + " changed")
    replay = TestClient(bare_app, cookies={"patentreach_session": kept, "lang": "en"})
    assert 'id="user-name"' not in replay.get("/login").text


def test_roles_guard_the_users_page(bare: TestClient) -> None:
    assert bare.get("/admin/users", follow_redirects=False).headers["location"] == "/login?next=/admin/users"
    sign_in(bare)  # alice is an analyst
    refused = bare.get("/admin/users")
    assert refused.status_code == 403
    assert "this needs the admin role" in refused.text
    assert 'id="admin-link"' not in bare.get("/login").text  # an analyst is not shown the link
    bare.post("/logout", data={"csrf_token": form_token(bare)})
    sign_in(bare, "root", PASSWORD + " admin")
    page = bare.get("/admin/users")
    assert page.status_code == 200
    assert 'id="admin-link" href="/admin/users"' in page.text  # an admin finds it in the header
    assert [row.split('"')[0] for row in page.text.split('<tr data-user="')[1:]] == ["alice", "root"]
    token = form_token(bare, "/admin/users")
    added = bare.post("/admin/users", data={"username": "carol", "password": PASSWORD, "role": "viewer",
                                            "csrf_token": token}, follow_redirects=False)
    assert (added.status_code, added.headers["location"]) == (303, "/admin/users")
    again = bare.post("/admin/users", data={"username": "carol", "password": PASSWORD, "csrf_token": token})
    assert again.status_code == 400
    assert '<p id="admin-error" class="error" role="alert">user &#39;carol&#39; already exists</p>' in again.text
    myself = bare.post("/admin/users/remove", data={"username": "root", "csrf_token": token})
    assert myself.status_code == 400
    assert bare.post("/admin/users/role", data={"username": "carol", "role": "analyst", "csrf_token": token},
                     follow_redirects=False).status_code == 303
    assert bare.post("/admin/users/remove", data={"username": "alice", "csrf_token": token},
                     follow_redirects=False).status_code == 303
    page = bare.get("/admin/users").text
    assert [row.split('"')[0] for row in page.split('<tr data-user="')[1:]] == ["carol", "root"]
