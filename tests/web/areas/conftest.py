"""What the area tests share: the CLI's JSON for the same arguments, and a signed-in client.

Signing in: until the security work's users store lands, the tests forge the session cookie the
way Starlette's ``SessionMiddleware`` signs it (itsdangerous, with the app's own secret key), holding
a user and a CSRF token. No test-only route and no monkeypatching: the app sees a real session.
"""

from __future__ import annotations

import json
from base64 import b64encode
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from typer.testing import CliRunner

from patentreach.cli.main import app as cli
from patentreach.web.security import SESSION_COOKIE

CSRF = "test-csrf-token"


def cli_json(warehouse: Any, *args: str) -> Any:
    """``patentreach ARGS --format json --warehouse W``, parsed."""
    printed = CliRunner().invoke(cli, [*args, "--format", "json", "--warehouse", str(warehouse.root)])
    assert printed.exit_code == 0, printed.output
    return json.loads(printed.stdout)


def session_cookie(app: Any, session: dict[str, Any]) -> str:
    """A cookie Starlette's SessionMiddleware accepts as ``session``."""
    signer = TimestampSigner(app.state.config.secret_key())
    return signer.sign(b64encode(json.dumps(session).encode())).decode()


PASSWORD = "areas password 1"


def stored_user(app: Any, name: str, role: str = "analyst") -> dict[str, Any]:
    """The session value of user ``name`` of the app's users store (added on first use): the
    service checks a session's user against the store on every request."""
    from patentreach.web.security.users import add_user, find_user

    state = app.state.config.state_dir
    found = find_user(state, name) or add_user(state, name, PASSWORD, role)
    return found.session_value()


@pytest.fixture
def signed_in(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """A client whose session holds the stored user alice (an analyst) and the CSRF token ``CSRF``;
    its API posts carry the token in ``X-CSRF-Token`` as a browser's script would."""
    with TestClient(app) as test_client:
        test_client.cookies.set(SESSION_COOKIE, session_cookie(app, {"user": stored_user(app, "alice"),
                                                                     "csrf": CSRF}))
        test_client.headers["X-CSRF-Token"] = CSRF
        yield test_client
