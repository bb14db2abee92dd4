"""Responses stored through SQLAlchemy (SQLite here) come back exactly, with their import log."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import inspect

from patentreach.survey.instrument import load_form
from patentreach.survey.responses import import_responses
from patentreach.survey.store import StoreError, import_log, load_responses, open_store, save_import
from patentreach.survey.synthetic import holder_answers, make_frame

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


def test_accepted_responses_round_trip_with_their_types(tmp_path, imported):
    engine = open_store(tmp_path / "s.sqlite")
    import_id = save_import(engine, imported)
    loaded = load_responses(engine, FORM, import_id)
    assert loaded["_import_id"].unique().tolist() == [import_id]
    expected = imported.accepted.reset_index(drop=True)
    pd.testing.assert_frame_equal(loaded.drop(columns="_import_id"), expected[loaded.columns[1:]])
    assert str(loaded["employees"].dtype) == "Int64"
    assert str(loaded["ip_staff_fte"].dtype) == "Float64"


def test_rejects_and_the_import_log_are_stored_and_balance(tmp_path, imported):
    engine = open_store(f"sqlite:///{tmp_path / 's.sqlite'}")
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
    with engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT row_number, issues, raw FROM survey_rejects ORDER BY row_number").all()
    assert [r[0] for r in stored] == [5, 9]
    assert '"rule": "type"' in stored[0][1] and '"employees": "many"' in stored[0][2]


def test_storing_the_same_units_twice_is_refused_unless_replacing(tmp_path, imported):
    engine = open_store(tmp_path / "s.sqlite")
    save_import(engine, imported)
    with pytest.raises(StoreError, match="48 units of form patentreach_enterprise_holder"):
        save_import(engine, imported)
    save_import(engine, imported, replace=True)
    assert len(load_responses(engine, FORM)) == 48
    assert len(import_log(engine)) == 2
