"""A service whose survey store holds one holder fieldwork in a known state.

Six sampled enterprises in two strata (``medium|east``, ``small|east``: three each) are invited;
then E000004 (medium) submits on the web, E000005 (small) comes back on paper (``survey
import``'s functions), E000009 (small) opens the link, E000014 (medium) saves a draft. The
expected rates are counted by hand in the tests from this list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from patentreach.warehouse import Warehouse
from patentreach.web.security.users import add_user
from tests.web.security.conftest import PASSWORD

WEB, PAPER, OPENED, PARTIAL = "E000004", "E000005", "E000009", "E000014"


@pytest.fixture(scope="module")
def holder_sample() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Six sampled enterprises and valid answers for each (the synthetic survey's own)."""
    from patentreach.survey import synthetic
    from patentreach.survey.demo import STRATA
    from patentreach.survey.frame import add_strata, check_frame
    from patentreach.survey.instrument.form import load_form

    frame = add_strata(check_frame(synthetic.make_frame(600, 5)), STRATA)
    sample = frame[frame["stratum"].isin(["small|east", "medium|east"])].groupby("stratum").head(3)
    sample = sample.reset_index(drop=True)
    assert sorted(sample["enterprise_id"]) == ["E000004", "E000005", "E000009", "E000010", "E000014", "E000050"]
    answers = synthetic.holder_answers(sample, 5, load_form("holder"))
    text = answers.astype(object).where(answers.notna(), "").astype(str)
    return sample, text


@pytest.fixture(scope="module")
def cheap_hashing() -> Iterator[None]:
    from argon2 import PasswordHasher

    from patentreach.web.security import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "hasher", lambda: cheap)
        yield


@pytest.fixture
def survey_app(tmp_path: Path, holder_sample, cheap_hashing) -> FastAPI:  # type: ignore[no-untyped-def]
    from patentreach.survey import fieldwork
    from patentreach.survey.instrument.form import load_form
    from patentreach.survey.responses import import_responses
    from patentreach.survey.store import open_store, save_import
    from patentreach.web.app import create_app
    from patentreach.web.config import ServeConfig

    sample, answers = holder_sample
    store = tmp_path / "survey.sqlite"
    engine = open_store(store)
    form = load_form("holder")
    table = fieldwork.invite(engine, form, sample)
    token = dict(zip(table["enterprise_id"], table["token"], strict=True))
    by_id = answers.set_index("enterprise_id", drop=False)
    fieldwork.submit(engine, token[WEB], by_id.loc[WEB].to_dict())
    save_import(engine, import_responses(answers[answers["enterprise_id"] == PAPER], form, sample=sample))
    fieldwork.mark_opened(engine, token[OPENED])
    fieldwork.save_draft(engine, token[PARTIAL], {"employees": "12"}, 1)
    engine.dispose()

    config = ServeConfig.for_warehouse(Warehouse(tmp_path / "wh"), tmp_path / "state", survey_store=str(store),
                                       rate_limit_per_minute=0)
    app = create_app(config)
    state = config.state_dir
    add_user(state, "vera", PASSWORD, "viewer")
    add_user(state, "alice", PASSWORD, "analyst")
    add_user(state, "root", PASSWORD, "admin")
    app.state.test_tokens = token
    app.state.test_answers = by_id
    return app


@pytest.fixture
def anonymous(survey_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(survey_app, cookies={"lang": "en"}) as client:
        yield client
