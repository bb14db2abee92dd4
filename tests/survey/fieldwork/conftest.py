"""Fixtures of the fieldwork tests: every store test runs on SQLite and on a real PostgreSQL
(:mod:`tests.survey.fieldwork.postgres`); a small real-shaped sample (60 enterprises drawn
proportionally from a 600-enterprise synthetic frame: 15 strata of size by region) and the
answers its enterprises would give."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

from patentreach.survey.frame import add_strata
from patentreach.survey.instrument import load_form
from patentreach.survey.instrument.form import Form
from patentreach.survey.sampling import draw_sample
from patentreach.survey.store import open_store
from patentreach.survey.synthetic import holder_answers, make_frame
from tests.survey.fieldwork.postgres import postgresql_cluster, store_url  # noqa: F401  (fixtures)


@pytest.fixture(scope="session")
def holder_form() -> Form:
    return load_form("holder")


@pytest.fixture(scope="session")
def sample() -> pd.DataFrame:
    """60 sampled enterprises with the sample file's columns, as strings (how the CSV reads)."""
    frame = add_strata(make_frame(600, seed=11), ["size", "region"])
    drawn = draw_sample(frame, 60, "proportional", 11, minimum=1)
    drawn = drawn.astype(str)
    drawn["email"] = [f"ip-office@{e.lower()}.example.cn" for e in drawn["enterprise_id"]]
    return drawn


@pytest.fixture(scope="session")
def answers(sample: pd.DataFrame, holder_form: Form) -> dict[str, dict[str, str]]:
    """Each sampled enterprise's valid answers (strings, as a web form posts them), by id."""
    table = holder_answers(sample, seed=11, form=holder_form)
    return {row["enterprise_id"]: row for row in table.to_dict("records")}


@pytest.fixture()
def engine(store_url: str) -> Engine:  # noqa: F811  (the imported fixture's name)
    engine = open_store(store_url)
    yield engine
    engine.dispose()
