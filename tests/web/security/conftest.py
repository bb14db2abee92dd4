"""Apps for the defences' tests: most need no warehouse (sign-in, CSRF, headers, limits), so they
run on a service started over an empty folder, each with its own state folder and settings; the
SQL-injection tests use the shared ``client`` over the real samples."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from patentreach.warehouse import Warehouse
from patentreach.web.security.users import add_user

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., FastAPI]:
    """``make_app(**settings)``: a service over an empty warehouse folder with its own state."""
    from patentreach.web.app import create_app
    from patentreach.web.config import ServeConfig

    def make(**settings: object) -> FastAPI:
        config = ServeConfig.for_warehouse(Warehouse(tmp_path / "wh"), tmp_path / "state", **settings)
        return create_app(config)

    return make


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters for tests about the web flow (test_users checks the real ones)."""
    from argon2 import PasswordHasher

    from patentreach.web.security import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "hasher", lambda: cheap)


@pytest.fixture
def bare_app(make_app: Callable[..., FastAPI], fast_hashing: None) -> FastAPI:
    app = make_app()
    state = app.state.config.state_dir
    add_user(state, "alice", PASSWORD, "analyst")
    add_user(state, "root", PASSWORD + " admin", "admin")
    return app


@pytest.fixture
def bare(bare_app: FastAPI) -> TestClient:
    return TestClient(bare_app, cookies={"lang": "en"})


def form_token(client: TestClient, path: str = "/login") -> str:
    """The CSRF token of the form on ``path`` (fetching it starts the session)."""
    page = client.get(path)
    found = TOKEN.search(page.text)
    assert found, page.text
    return found.group(1)


def sign_in(client: TestClient, name: str = "alice", password: str = PASSWORD) -> None:
    answer = client.post("/login", data={"username": name, "password": password, "csrf_token": form_token(client)},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
