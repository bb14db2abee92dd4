"""An app with a survey store in a temporary folder (no warehouse: the questionnaire needs none),
its engine, and invitations for enterprises of the demo's synthetic frame with the demo's answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from patentreach.survey import fieldwork, synthetic
from patentreach.survey.instrument.form import load_form
from patentreach.survey.store import open_store
from patentreach.warehouse import Warehouse

SEED = 2021
UNITS = 40


@pytest.fixture(scope="module")
def survey_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("survey-web")


@pytest.fixture(scope="module")
def survey_app(survey_root: Path):  # type: ignore[no-untyped-def]
    from patentreach.web.app import create_app
    from patentreach.web.config import ServeConfig

    config = ServeConfig.for_warehouse(Warehouse(survey_root / "wh"), survey_root / "state",
                                       rate_limit_per_minute=0, survey_store=str(survey_root / "survey.sqlite"))
    return create_app(config)


@pytest.fixture(scope="module")
def engine(survey_root: Path, survey_app):  # type: ignore[no-untyped-def]
    engine = open_store(str(survey_root / "survey.sqlite"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def units() -> pd.DataFrame:
    """Enterprises of the synthetic frame (the sample CSV's columns: ids and classifiers)."""
    return synthetic.make_frame(400, SEED).iloc[:UNITS].reset_index(drop=True)


@pytest.fixture(scope="module")
def demo_answers(units: pd.DataFrame) -> list[dict[str, str]]:
    """The demo's answers for those enterprises (valid, following the skip logic)."""
    return synthetic.holder_answers(units, SEED, load_form("holder")).to_dict("records")


@pytest.fixture(scope="module")
def tokens(engine, units: pd.DataFrame) -> list[str]:  # type: ignore[no-untyped-def]
    table = fieldwork.invite(engine, "holder", units)
    by_unit = dict(zip(table["unit_key"], table["token"], strict=True))
    return [by_unit[e] for e in units["enterprise_id"]]


@pytest.fixture
def client(survey_app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(survey_app) as test_client:
        yield test_client
