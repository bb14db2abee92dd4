"""Importing response files: every rule of the form gives an issue naming row, column and rule;
bad rows go to the rejects file; rows in = accepted + rejected, always."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from patentreach.survey.instrument import load_form
from patentreach.survey.responses import (
    ResponseFileError,
    import_responses,
    read_response_file,
    with_choice_indicators,
    write_rejects,
)

FORM = load_form("holder")
COLUMNS = [f.name for f in FORM.answers]

VALID = {
    "enterprise_id": "E000101",
    "size": "medium",
    "sector": "private",
    "industry": "electronics",
    "region": "west",
    "employees": "420",
    "rd_staff": "60",
    "revenue_mcny": "310.5",
    "high_tech": "yes",
    "inv_patents_cn": "12",
    "um_patents_cn": "30",
    "design_patents_cn": "0",
    "holds_foreign": "yes",
    "foreign_patents": "4",
    "foreign_offices": "us ep",
    "pct_filed": "",
    "transfer_out": "yes",
    "transfer_out_mode": "ordinary",
    "transfer_out_abroad": "yes",
    "transfer_out_countries": "kz ru",
    "license_in": "no",
    "exports": "yes",
    "export_share_pct": "35",
    "export_markets": "ru kz de",
    "export_protection": "some",
    "protected_markets": "ru",
    "no_protection_reason": "cost",
    "overseas_dispute": "no",
    "tech_import_difficulty": "yes",
    "difficulty_us_europe": "yes",
    "difficulty_reasons": "export_control price",
    "difficulty_response": "self_innovation university_coop",
    "ip_staff_fte": "2.5",
    "ip_department": "yes",
    "ip_budget_kcny": "800",
    "ip_budget_change": "increase",
}


def rows(*changes: dict[str, str]) -> pd.DataFrame:
    """One response row per ``changes`` (applied to a valid row), numbered as in a spreadsheet."""
    data = [
        {c: "" for c in COLUMNS} | VALID | {"enterprise_id": f"E{101 + k:06d}"} | change
        for k, change in enumerate(changes)
    ]
    return pd.DataFrame(data, columns=COLUMNS, index=range(2, 2 + len(data)))


def only_issue(result):
    assert len(result.issues) == 1, [str(i) for i in result.issues]
    return result.issues[0]


def test_a_valid_row_is_accepted_with_typed_answers():
    result = import_responses(rows({}), FORM)
    assert result.issues == [] and len(result.accepted) == 1 and len(result.rejected) == 0
    row = result.accepted.iloc[0]
    assert row["_row"] == 2
    assert row["employees"] == 420 and str(result.accepted["employees"].dtype) == "Int64"
    assert row["revenue_mcny"] == 310.5 and str(result.accepted["revenue_mcny"].dtype) == "Float64"
    assert row["export_markets"] == "ru kz de"
    assert pd.isna(row["license_in_abroad"]) and pd.isna(row["pct_filed"])


@pytest.mark.parametrize(
    ("change", "column", "rule", "message"),
    [
        ({"size": ""}, "size", "required", "a required answer is missing"),
        ({"employees": "about 50"}, "employees", "type", "'about 50' is not an integer"),
        ({"revenue_mcny": "12,5"}, "revenue_mcny", "type", "'12,5' is not a number"),
        ({"region": "south"}, "region", "choice", "'south' is not a choice of list 'region'"),
        ({"export_markets": "ru xx"}, "export_markets", "choice", "'xx' is not a choice of list"),
        ({"foreign_offices": "us us"}, "foreign_offices", "choice", "'us us' repeats a choice"),
        ({"ip_budget_kcny": "-20"}, "ip_budget_kcny", "constraint", "Must be zero or more"),
        ({"rd_staff": "421"}, "rd_staff", "constraint", "R&D staff cannot exceed employees"),
        (
            {"inv_patents_cn": "0", "um_patents_cn": "0"},
            "design_patents_cn",
            "constraint",
            "A patent-holding enterprise holds at least one valid patent",
        ),
        (
            {"difficulty_response": "none self_innovation"},
            "difficulty_response",
            "constraint",
            "'No particular response' cannot be combined",
        ),
        (
            {"license_in_abroad": "yes"},
            "license_in_abroad",
            "relevance",
            "does not apply here (${license_in} = 'yes' is false), but it was answered",
        ),
        (
            {"protected_markets": "de jp"},
            "protected_markets",
            "choice_filter",
            "'jp' is not allowed here (choice_filter selected(${export_markets}, name)",
        ),
        (
            {"difficulty_response": "self_innovation other"},
            "difficulty_response_other",
            "required",
            "a required answer is missing",
        ),
    ],
)
def test_each_rule_gives_one_issue_naming_row_column_and_rule(change, column, rule, message):
    result = import_responses(rows({}, change), FORM)
    issue = only_issue(result)
    assert (issue.row, issue.column, issue.rule) == (3, column, rule)
    assert message in issue.message
    assert len(result.accepted) == 1 and result.rejected["_row"].tolist() == [3]
    assert str(issue).startswith(f"row 3, column '{column}': {rule}: ")


def test_a_group_condition_applies_to_every_question_inside_it():
    # exports = no: the whole export_detail group is skipped, so an answer inside it is wrong
    skipped = {
        "exports": "no",
        "export_markets": "",
        "export_protection": "",
        "protected_markets": "",
        "no_protection_reason": "",
        "overseas_dispute": "",
        "export_share_pct": "40",
    }
    result = import_responses(rows(skipped), FORM)
    issue = only_issue(result)
    assert (issue.column, issue.rule) == ("export_share_pct", "relevance")
    assert "${exports} = 'yes'" in issue.message


def test_all_problems_of_a_row_are_reported_but_not_their_consequences():
    # employees is not a number: rd_staff and ip_staff_fte compare with it, but are not blamed
    result = import_responses(rows({"employees": "n/a", "size": "", "ip_budget_kcny": "-1"}), FORM)
    assert [(i.row, i.column, i.rule) for i in result.issues] == [
        (2, "size", "required"),
        (2, "employees", "type"),
        (2, "ip_budget_kcny", "constraint"),
    ]


def test_rows_in_equal_accepted_plus_rejected_and_rejects_file_names_row_column_rule(tmp_path):
    raw = rows({}, {"size": ""}, {}, {"region": "south", "ip_budget_kcny": "-5"}, {})
    result = import_responses(raw, FORM)
    assert result.rows_in == 5 == len(result.accepted) + len(result.rejected)
    assert result.accepted["_row"].tolist() == [2, 4, 6]
    rejects, issues = write_rejects(result, tmp_path / "rejects.csv")
    written = pd.read_csv(rejects, dtype=str, keep_default_na=False)
    assert written["_row"].tolist() == ["3", "5"]
    assert written["_issues"].tolist() == [
        "size: required: a required answer is missing",
        "region: choice: 'south' is not a choice of list 'region' "
        "(central, east, northeast, west); "
        "ip_budget_kcny: constraint: Must be zero or more (constraint: . >= 0)",
    ]
    # the raw cells are kept verbatim, so the file can be corrected and imported again
    assert written.loc[1, "region"] == "south" and written.loc[1, "ip_budget_kcny"] == "-5"
    long = pd.read_csv(issues, dtype=str, keep_default_na=False)
    assert long[["row", "column", "rule", "value"]].values.tolist() == [
        ["3", "size", "required", ""],
        ["5", "region", "choice", "south"],
        ["5", "ip_budget_kcny", "constraint", "-5"],
    ]
    corrected = written.assign(region="west", ip_budget_kcny="5")
    corrected.loc[0, "size"] = "small"
    corrected.to_csv(tmp_path / "fixed.csv", index=False)
    again = import_responses(tmp_path / "fixed.csv", FORM)
    assert len(again.accepted) == 2 and again.issues == []


def test_a_repeated_unit_and_a_unit_outside_the_sample_are_rejected():
    raw = rows({}, {}, {})
    raw.loc[4, "enterprise_id"] = "E000101"
    sample = pd.DataFrame({"enterprise_id": ["E000101"]})
    result = import_responses(raw, FORM, sample=sample, sample_columns=["enterprise_id"])
    assert [(i.row, i.rule, i.message) for i in result.issues] == [
        (3, "sample", "E000102 is not in the sample"),
        (4, "duplicate", "E000101 was already answered in row 2"),
    ]
    assert result.accepted["_row"].tolist() == [2]


def _csv(path: Path, header: list[str], body: list[list[str]]) -> Path:
    lines = [",".join(header)] + [",".join(r) for r in body]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def test_a_blank_row_in_the_middle_is_a_reject_not_silently_skipped(tmp_path):
    frame = rows({}, {})
    body = [list(frame.iloc[0]), [""] * len(COLUMNS), list(frame.iloc[1])]
    result = import_responses(_csv(tmp_path / "r.csv", COLUMNS, body), FORM)
    assert result.rows_in == 3
    assert [(i.row, i.column, i.rule) for i in result.issues] == [(3, "*", "empty_row")]


def test_kobo_group_path_headers_and_underscore_columns_are_accepted(tmp_path):
    frame = rows({})
    header = [f"profile/{c}" if c == "size" else c for c in COLUMNS] + ["_uuid"]
    path = _csv(tmp_path / "kobo.csv", header, [[*list(frame.iloc[0]), "abc-123"]])
    result = import_responses(path, FORM)
    assert result.issues == []
    assert result.accepted.iloc[0]["size"] == "medium" and result.accepted.iloc[0]["_uuid"] == "abc-123"


def test_a_file_for_another_form_stops_before_any_row_is_judged(tmp_path):
    header = [*[c for c in COLUMNS if c != "size"], "turnover"]
    path = _csv(tmp_path / "other.csv", header, [["x"] * len(header)])
    with pytest.raises(ResponseFileError) as caught:
        import_responses(path, FORM)
    assert "missing columns for form fields ['size']" in str(caught.value)
    assert "columns ['turnover'] are not fields of form patentreach_enterprise_holder" in str(caught.value)


def test_xlsx_cells_are_read_as_the_text_a_user_sees(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    values = [VALID.get(c, "") for c in COLUMNS]
    typed = [int(v) if v.isdigit() else (float(v) if v == "310.5" else v or None) for v in values]
    sheet.append(typed)
    path = tmp_path / "responses.xlsx"
    book.save(path)
    raw = read_response_file(path)
    assert raw.index.tolist() == [2]
    assert raw.loc[2, "employees"] == "420" and raw.loc[2, "revenue_mcny"] == "310.5"
    result = import_responses(path, FORM)
    assert result.issues == [] and result.rows_in == 1


def test_select_multiple_answers_become_zero_one_indicator_columns():
    no_difficulty = {
        "tech_import_difficulty": "no",
        "difficulty_us_europe": "",
        "difficulty_reasons": "",
        "difficulty_response": "",
    }
    result = import_responses(rows({}, no_difficulty), FORM)
    data = with_choice_indicators(result.accepted, FORM)
    assert data["difficulty_response__self_innovation"].tolist()[0] == 1.0
    assert data["difficulty_response__postpone"].tolist()[0] == 0.0
    assert pd.isna(data["difficulty_response__self_innovation"].tolist()[1])


def test_the_synthetic_survey_rows_pass_and_spoiled_rows_are_caught():
    from patentreach.survey import synthetic

    frame = synthetic.make_frame(400, seed=1)
    answers = synthetic.holder_answers(frame, seed=1)
    answers.index = range(2, 2 + len(answers))
    assert import_responses(answers, FORM).issues == []
    spoiled = synthetic.spoil(answers, 14, seed=1)
    result = import_responses(spoiled, FORM)
    assert len(result.rejected) == 14 and result.rows_in == 400
    assert {i.rule for i in result.issues} >= {"required", "type", "choice", "constraint"}
