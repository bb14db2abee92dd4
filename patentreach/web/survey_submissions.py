"""Questionnaires answered through the web form over HTTP, without a browser: what the demo uses to
fill a few hundred questionnaires the way respondents do, so the demo's store holds web and paper
returns side by side.

Each answer goes through the real service (``create_app``, in process, over HTTP via Starlette's
test client): open ``/survey/{token}``, take the page's CSRF token, post every answer with
*Submit*. The server validates with the response import's own rules and stores the row, exactly as
for a respondent; nothing here writes to the store.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

from patentreach.survey.instrument.form import Form, load_form
from patentreach.survey.instrument.pages import layout

CSRF_MARK = 'name="csrf_token" value="'


def _fields(form: Form, answers: Mapping[str, str]) -> dict[str, object]:
    """Every answered question as a browser posts it (a multiple choice: one value per box)."""
    data: dict[str, object] = {}
    for page in layout(form).pages:
        for name in page.answer_names:
            value = str(answers.get(name, "") or "")
            if value:
                data[name] = value.split() if form.field(name).type == "select_multiple" else value
    return data


def submit_through_web(
    store: str, submissions: Iterable[tuple[str, Mapping[str, str]]], form: Form | str = "holder"
) -> list[int]:
    """Post each ``(token, answers)`` to the web form of a service collecting into ``store`` (a
    SQLite path or SQLAlchemy URL); the HTTP status of each submission (303 = accepted)."""
    with warnings.catch_warnings():  # Starlette's note to test suites about httpx: not for the demo's user
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
        from fastapi.testclient import TestClient

    from patentreach.warehouse.layout import Warehouse
    from patentreach.web.app import create_app
    from patentreach.web.config import ServeConfig

    form = form if isinstance(form, Form) else load_form(form)
    statuses: list[int] = []
    with tempfile.TemporaryDirectory(prefix="patentreach-survey-web-") as scratch:
        root = Path(scratch)
        config = ServeConfig(
            warehouse=Warehouse(root / "no-warehouse"),  # the questionnaire needs none
            state_dir=root / "state",
            rate_limit_per_minute=0,
            survey_store=str(store),
        )
        app = create_app(config)
        with TestClient(app, base_url="http://127.0.0.1") as client:
            for token, answers in submissions:
                page = client.get(f"/survey/{token}", params={"page": 0})
                if page.status_code != 200 or CSRF_MARK not in page.text:
                    statuses.append(page.status_code)
                    continue
                csrf = page.text.split(CSRF_MARK, 1)[1].split('"', 1)[0]
                data = {**_fields(form, answers), "csrf_token": csrf, "action": "submit",
                        "page": str(len(layout(form).pages) - 1)}
                sent = client.post(f"/survey/{token}", data=data, follow_redirects=False,
                                   headers={"Origin": "http://127.0.0.1"})
                statuses.append(sent.status_code)
        engine = getattr(app.state, "survey_engine", None)
        if engine is not None:
            engine.dispose()
    return statuses
