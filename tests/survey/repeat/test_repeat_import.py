"""Responses with repeat instances as wide columns: a CSV with two instances, issues naming the
instance's column, Kobo's ``market[2]/country`` headers, instances left out or left blank."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from patentreach.survey.instrument.form import load_form
from patentreach.survey.responses import ResponseFileError, import_responses
from tests.survey.repeat.forms import MARKETS, workbook

COLUMNS = ["enterprise_id", "exports", "market_1_country", "market_1_share", "market_1_protected",
           "market_2_country", "market_2_share", "market_2_protected", "n_markets"]


@pytest.fixture(scope="module")
def form(tmp_path_factory):  # type: ignore[no-untyped-def]
    return load_form(workbook(tmp_path_factory.mktemp("repeat-import"), MARKETS))


def write(path, header, rows):  # type: ignore[no-untyped-def]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_a_csv_with_two_instances_is_stored_one_row_per_unit(form, tmp_path):
    path = write(tmp_path / "two.csv", COLUMNS, [
        ["E1", "yes", "us", "60", "yes", "de", "25.5", "no", "2"],
        ["E2", "yes", "de", "100", "", "", "", "", "1"],
        ["E3", "no", "", "", "", "", "", "", "0"],
    ])
    result = import_responses(path, form)
    assert result.issues == []
    rows = result.accepted.set_index("enterprise_id")
    assert rows.loc["E1", "market_2_country"] == "de" and rows.loc["E1", "market_2_share"] == 25.5
    assert rows.loc["E1", "market_1_protected"] == "yes"
    assert rows["market_3_country"].isna().all()  # instances 3-10 are not in the file: blank
    assert pd.isna(rows.loc["E2", "market_2_country"])
    assert list(result.accepted["n_markets"]) == [2, 1, 0]


def test_a_constraint_failing_in_the_second_instance_names_its_column(form, tmp_path):
    path = write(tmp_path / "bad.csv", COLUMNS, [["E1", "yes", "us", "60", "yes", "de", "140", "no", "2"]])
    result = import_responses(path, form)
    assert [(i.row, i.column, i.rule, i.value) for i in result.issues] == [(2, "market_2_share", "constraint", "140")]
    assert result.issues[0].message == "Between 0 and 100 (constraint: . > 0 and . <= 100)"


def test_a_partly_answered_instance_misses_its_required_answers_and_a_blank_one_is_absent(form, tmp_path):
    path = write(tmp_path / "partial.csv", COLUMNS, [
        ["E1", "yes", "us", "60", "", "", "", "yes", "2"],  # instance 2: only "protected"
        ["E2", "yes", "us", "60", "", "", "", "", "1"],  # instance 2 wholly blank
    ])
    result = import_responses(path, form)
    assert [(i.row, i.column, i.rule) for i in result.issues] == [
        (2, "market_2_country", "required"), (2, "market_2_share", "required")]
    assert "instance 2 of repeat 'market' is partly answered" in result.issues[0].message
    assert len(result.accepted) == 1


def test_relevance_inside_an_instance_reads_that_instance(form, tmp_path):
    path = write(tmp_path / "relevance.csv", COLUMNS, [["E1", "yes", "us", "60", "yes", "other", "20", "yes", "2"]])
    result = import_responses(path, form)
    assert [(i.column, i.rule) for i in result.issues] == [("market_2_protected", "relevance")]
    assert "${market_2_country} != 'other' is false" in result.issues[0].message


def test_kobo_wide_export_headers_are_read_as_the_instance_columns(form, tmp_path):
    header = ["enterprise_id", "exports", "market[1]/country", "market[1]/share", "market[1]/protected",
              "grp/market[2]/country", "grp/market[2]/share", "grp/market[2]/protected", "n_markets"]
    path = write(tmp_path / "kobo.csv", header, [["E1", "yes", "us", "60", "yes", "de", "140", "no", "2"]])
    result = import_responses(path, form)
    assert [(i.column, i.rule) for i in result.issues] == [("market_2_share", "constraint")]


def test_an_instance_with_a_column_missing_is_refused_by_name(form, tmp_path):
    path = write(tmp_path / "missing.csv", [*COLUMNS[:-2], "n_markets"],
                 [["E1", "yes", "us", "60", "yes", "de", "2"]])
    with pytest.raises(ResponseFileError, match=r"missing columns for form fields \['market_2_protected'\]"):
        import_responses(path, form)
