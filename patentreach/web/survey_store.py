"""The survey store the service collects into: one SQLAlchemy engine per process, opened on
first use (a dashboard that never shows a questionnaire never touches it)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from fastapi import Request

if TYPE_CHECKING:
    from sqlalchemy import Engine

_lock = threading.Lock()


def survey_engine(request: Request) -> Engine:
    """The engine on the configured store (``ServeConfig.survey_store_url``), tables created."""
    app = request.app
    engine = getattr(app.state, "survey_engine", None)
    if engine is None:
        with _lock:
            engine = getattr(app.state, "survey_engine", None)
            if engine is None:
                from patentreach.survey.store import open_store

                engine = open_store(app.state.config.survey_store_url())
                app.state.survey_engine = engine
    return engine
