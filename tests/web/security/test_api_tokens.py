"""API tokens: ``Authorization: Bearer``, no CSRF header needed, revocable, only a digest kept."""

from __future__ import annotations

import hashlib
import sqlite3
from typing import Annotated

from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from patentreach.cli.main import app as cli
from patentreach.web.security import require_role
from patentreach.web.security.api_tokens import issue_token
from patentreach.web.security.users import USERS_FILE, remove_user, set_role
from tests.web.security.conftest import PASSWORD, sign_in

CHALLENGE = "the API token is not valid (an administrator can issue one: patentreach users token NAME)"


def _probe(app: FastAPI) -> None:
    @app.post("/api/v1/probe-upload-right")
    def probe(user: Annotated[dict, Depends(require_role("analyst"))]) -> dict:
        return {"user": user}


def test_a_token_acts_as_its_user_without_the_csrf_header(bare_app: FastAPI) -> None:
    _probe(bare_app)
    state = bare_app.state.config.state_dir
    token = issue_token(state, "alice", "nightly script")
    assert token.startswith("prt_") and len(token) == 47
    with sqlite3.connect(state / USERS_FILE) as db:
        assert db.execute("SELECT token_hash, name, label FROM api_tokens").fetchall() == [
            (hashlib.sha256(token.encode()).hexdigest(), "alice", "nightly script")]
    client = TestClient(bare_app, headers={"Authorization": f"Bearer {token}"})
    sign_in(client, "root", PASSWORD + " admin")  # a browser session too: the token still needs no CSRF header
    assert client.post("/api/v1/probe-upload-right").json() == {"user": {"name": "alice", "role": "analyst"}}
    assert client.get("/api/v1/outbound").status_code == 503  # reading works too (this app has no warehouse)

    set_role(state, "alice", "viewer")  # the token follows the user's current role
    refused = client.post("/api/v1/probe-upload-right")
    assert (refused.status_code, refused.json()["error"]) == (403, "this needs the analyst role")
    remove_user(state, "alice")
    gone = client.post("/api/v1/probe-upload-right")
    assert (gone.status_code, gone.json()) == (401, {"error": CHALLENGE, "status": 401})
    assert gone.headers["www-authenticate"] == "Bearer"


def test_bad_authorization_headers_are_401(bare_app: FastAPI) -> None:
    for header, message in (("Basic YWxpY2U6eA==", "the Authorization header must be: Bearer <token>"),
                            ("Bearer ", "the Authorization header must be: Bearer <token>"),
                            ("Bearer prt_forged", CHALLENGE), ("Bearer ' OR 1=1 --", CHALLENGE)):
        answer = TestClient(bare_app).get("/api/v1/outbound", headers={"Authorization": header})
        assert (answer.status_code, answer.json()["error"]) == (401, message)


def test_the_token_commands(bare_app: FastAPI) -> None:
    state = str(bare_app.state.config.state_dir)
    issued = CliRunner().invoke(cli, ["users", "token", "root", "--label", "ci", "--state", state])
    assert issued.exit_code == 0, issued.output
    token = issued.stdout.strip()
    client = TestClient(bare_app, headers={"Authorization": f"Bearer {token}"})
    _probe(bare_app)
    assert client.post("/api/v1/probe-upload-right").json()["user"]["name"] == "root"
    revoked = CliRunner().invoke(cli, ["users", "revoke-tokens", "root", "--state", state])
    assert revoked.stdout == "revoked 1 token(s) of root\n"
    assert client.post("/api/v1/probe-upload-right").status_code == 401
    unknown = CliRunner().invoke(cli, ["users", "token", "nobody", "--state", state])
    assert (unknown.exit_code, unknown.stderr.strip()) == (2, "error: no user 'nobody'")
