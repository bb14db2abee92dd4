"""Responses stored through SQLAlchemy come back exactly, with their import log, on SQLite and on
a real PostgreSQL server (``store_url``: see tests/survey/fieldwork/postgres.py; the PostgreSQL
cases skip, naming scripts/system-deps.sh, where the server is not installed)."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import inspect, select

from patentreach.survey.instrument import load_form
from patentreach.survey.responses import import_responses
from patentreach.survey.store import StoreError, import_log, load_responses, open_store, rejects, save_import
from patentreach.survey.synthetic import holder_answers, make_frame
from tests.survey.fieldwork.postgres import new_database, postgresql_cluster, store_url  # noqa: F401  (fixtures)

FORM = load_form("holder")


@pytest.fixture()
def imported():
    answers = holder_answers(make_frame(50, seed=8), seed=8)
    answers.index = range(2, 2 + len(answers))
    answers.loc[5, "employees"] = "many"
    answers.loc[9, "region"] = ""
    return import_responses(answers, FORM)


def test_open_store_creates_the_import_and_fieldwork_tables_in_a_sqlite_file(tmp_path):
    engine = open_store(tmp_path / "nested" / "survey.sqlite")
    assert (tmp_path / "nested" / "survey.sqlite").exists()
    assert set(inspect(engine).get_table_names()) == {
        "survey_imports",
        "survey_responses",
        "survey_rejects",
        "survey_invitations",
        "survey_drafts",
        "survey_fieldwork",
    }


def test_open_store_creates_the_tables_in_an_empty_postgresql_database(postgresql_cluster):  # noqa: F811
    engine = open_store(new_database(postgresql_cluster, with_tables=False))
    assert set(inspect(engine).get_table_names()) == {
        "survey_imports",
        "survey_responses",
        "survey_rejects",
        "survey_invitations",
        "survey_drafts",
        "survey_fieldwork",
    }
    assert "survey_responses_one_per_unit" in {i["name"] for i in inspect(engine).get_indexes("survey_responses")}
    open_store(engine.url.render_as_string(hide_password=False)).dispose()  # opening again changes nothing
    engine.dispose()


def test_accepted_responses_round_trip_with_their_types(store_url, imported):  # noqa: F811
    engine = open_store(store_url)
    import_id = save_import(engine, imported)
    loaded = load_responses(engine, FORM, import_id)
    assert loaded["_import_id"].unique().tolist() == [import_id]
    expected = imported.accepted.reset_index(drop=True)
    pd.testing.assert_frame_equal(loaded.drop(columns="_import_id"), expected[loaded.columns[1:]])
    assert str(loaded["employees"].dtype) == "Int64"
    assert str(loaded["ip_staff_fte"].dtype) == "Float64"


def test_rejects_and_the_import_log_are_stored_and_balance(store_url, imported):  # noqa: F811
    engine = open_store(store_url)
    save_import(engine, imported)
    log = import_log(engine)
    assert log[["rows_in", "accepted", "rejected", "stored_responses", "stored_rejects"]].iloc[0].tolist() == [
        50,
        48,
        2,
        48,
        2,
    ]
    assert bool(log["balanced"].iloc[0])
    assert log["source"].tolist() == ["<DataFrame>"]
    assert log["imported_at"].iloc[0] is not None
    with engine.connect() as conn:
        stored = conn.execute(select(rejects.c.row_number, rejects.c.issues, rejects.c.raw).order_by(
            rejects.c.row_number)).all()
    assert [r[0] for r in stored] == [5, 9]
    assert [i["rule"] for i in stored[0][1]] == ["type"] and stored[0][2]["employees"] == "many"
    assert [i["column"] for i in stored[1][1]] == ["region"]


def test_storing_the_same_units_twice_is_refused_unless_replacing(store_url, imported):  # noqa: F811
    engine = open_store(store_url)
    save_import(engine, imported)
    with pytest.raises(StoreError, match="48 units of form patentreach_enterprise_holder"):
        save_import(engine, imported)
    save_import(engine, imported, replace=True)
    assert len(load_responses(engine, FORM)) == 48
    assert len(import_log(engine)) == 2
