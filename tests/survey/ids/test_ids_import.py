"""Answers of a credit-code survey: a 2,000-enterprise frame of unified social credit codes is
sampled, answered and imported with zero rejects; an answered code with a wrong check character is
an issue of rule ``id`` naming the right one; the demo's E-ids still import as before."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from patentreach.survey import fieldwork, synthetic
from patentreach.survey.enterprise_ids import make_uscc
from patentreach.survey.frame import add_strata, check_frame
from patentreach.survey.instrument import load_form
from patentreach.survey.responses import import_responses
from patentreach.survey.sampling import draw_patents, draw_sample
from patentreach.survey.store import open_store

HOLDER = load_form("holder")
PATENT = load_form("patent")


def answers_frame(answers: pd.DataFrame) -> pd.DataFrame:
    """Answers as a response file would hold them: strings, spreadsheet row numbers from 2."""
    return answers.astype(str).set_axis(pd.RangeIndex(2, 2 + len(answers)))


@pytest.fixture(scope="module")
def survey() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(frame, sample, holder answers) of a synthetic credit-code survey."""
    frame = synthetic.make_frame(2000, seed=21)
    frame["enterprise_id"] = make_uscc(np.random.default_rng(21), len(frame), frame["region"].tolist())
    frame = add_strata(check_frame(frame), ["size", "region"])
    sample = draw_sample(frame, 300, "neyman", seed=21, minimum=5)
    answers = answers_frame(synthetic.holder_answers(sample, seed=21))
    return frame, sample, answers


def test_a_credit_code_sample_imports_with_zero_rejects(survey):
    frame, sample, answers = survey
    assert frame.attrs["id_rule"] == "uscc" and len(sample) == 300
    result = import_responses(answers, HOLDER, sample=sample)
    assert (result.rows_in, len(result.accepted), len(result.rejected), result.issues) == (300, 300, 0, [])
    assert sorted(result.accepted["enterprise_id"]) == sorted(sample["enterprise_id"])


def test_a_wrong_check_character_is_an_id_issue_naming_the_right_one(survey):
    _, sample, answers = survey
    spoiled = answers.copy()
    code = spoiled.loc[7, "enterprise_id"]
    wrong = "0" if code[17] != "0" else "1"
    spoiled.loc[7, "enterprise_id"] = code[:17] + wrong
    result = import_responses(spoiled, HOLDER, sample=sample)
    assert (len(result.accepted), len(result.rejected)) == (299, 1)
    [issue] = result.issues  # not also "not in the sample": the id issue says more
    assert (issue.row, issue.column, issue.rule, issue.value) == (7, "enterprise_id", "id", code[:17] + wrong)
    assert issue.message == (
        f"'{code[:17]}{wrong}': the check character (18th) is {wrong!r} but the first 17 characters give "
        f"{code[17]!r} (GB 32100-2015): a character is mistyped"
    )
    assert result.rejected["_issues"].tolist() == [f"enterprise_id: id: {issue.message}"]


def test_the_id_rule_adds_nothing_to_ids_the_form_refused_and_strangers_are_outside_the_sample(survey):
    frame, sample, answers = survey
    spoiled = answers.copy()
    stranger = frame.loc[~frame["enterprise_id"].isin(sample["enterprise_id"]), "enterprise_id"].iloc[0]
    lettered = int(spoiled.index[spoiled["enterprise_id"].str.contains("[A-Z]")][0])
    spoiled.loc[lettered, "enterprise_id"] = spoiled.loc[lettered, "enterprise_id"].lower()  # the form refuses it
    stranger_row = lettered + 1
    spoiled.loc[stranger_row, "enterprise_id"] = stranger  # a valid code of an enterprise not sampled
    result = import_responses(spoiled, HOLDER, sample=sample)
    assert [(i.row, i.column, i.rule) for i in result.issues] == [
        (lettered, "enterprise_id", "constraint"),  # the form's message, then (as before) not in the sample
        (lettered, "enterprise_id", "sample"),
        (stranger_row, "enterprise_id", "sample"),
    ]


def test_without_a_sample_the_rule_comes_from_the_answers(survey):
    _, _, answers = survey
    spoiled = answers.copy()
    code = spoiled.loc[2, "enterprise_id"]
    spoiled.loc[2, "enterprise_id"] = code[:16] + ("X" if code[16] != "X" else "0") + code[17]
    result = import_responses(spoiled, HOLDER)
    assert [(i.row, i.rule) for i in result.issues] == [(2, "id")]
    assert "should end in" in result.issues[0].message and "(GB 11714)" in result.issues[0].message
    assert import_responses(spoiled, HOLDER, id_rule="free").issues == []


def test_a_credit_code_patent_sample_imports_with_zero_rejects(survey):
    _, sample, _ = survey
    drawn = draw_patents(sample, 2, seed=21)
    drawn["patent_type"] = "invention"
    drawn["patent_id"] = [f"CN{110_000_000 + i:09d}B" for i in range(len(drawn))]
    drawn["size"] = drawn["enterprise_id"].map(sample.set_index("enterprise_id")["size"])
    answers = answers_frame(synthetic.patent_answers(drawn, seed=21))
    result = import_responses(answers, PATENT, sample=drawn)
    assert (len(result.accepted), len(result.rejected)) == (len(drawn), 0)
    assert len(drawn) == int(np.minimum(sample["patents"], 2).sum())


def test_the_demo_ids_still_import_with_zero_rejects():
    frame = add_strata(check_frame(synthetic.make_frame(2000, seed=22)), ["size", "region"])
    sample = draw_sample(frame, 200, "neyman", seed=22, minimum=5)
    answers = answers_frame(synthetic.holder_answers(sample, seed=22))
    result = import_responses(answers, HOLDER, sample=sample)
    assert (len(result.accepted), len(result.rejected)) == (200, 0)
    answers.loc[2, "enterprise_id"] = "E00001"
    issues = import_responses(answers, HOLDER, sample=sample).issues
    assert [(i.row, i.rule) for i in issues] == [(2, "constraint"), (2, "sample")]


def test_a_web_submission_with_a_credit_code_is_accepted(survey, tmp_path):
    _, sample, answers = survey
    engine = open_store(str(tmp_path / "survey.sqlite"))
    invited = fieldwork.invite(engine, HOLDER, sample.head(3))
    first = invited.iloc[0]
    row = answers[answers["enterprise_id"] == first["enterprise_id"]].iloc[0].to_dict()
    fieldwork.submit(engine, first["token"], row)
    rates = fieldwork.response_rates(engine, HOLDER)
    assert int(rates.set_index(rates.columns[0]).loc["all", "complete"]) == 1


def test_the_frame_rule_travels_with_a_drawn_sample_and_a_sample_file_speaks_through_its_ids(survey, tmp_path):
    frame, sample, answers = survey
    assert sample.attrs["id_rule"] == "uscc" and draw_patents(sample, 1, seed=1).attrs["id_rule"] == "uscc"

    def mistype(code: str) -> str:
        return code[:17] + ("0" if code[17] != "0" else "1")

    # a register taken as free text, one sampled enterprise's code with a wrong check character
    loose = frame.drop(columns="stratum").copy()
    bad = loose["enterprise_id"] == sample["enterprise_id"].iloc[0]
    loose.loc[bad, "enterprise_id"] = mistype(sample["enterprise_id"].iloc[0])
    loose = add_strata(check_frame(loose, id_rule="free"), ["size", "region"])
    drawn = draw_sample(loose, 300, "neyman", seed=21, minimum=5)
    assert drawn.attrs["id_rule"] == "free"
    assert mistype(sample["enterprise_id"].iloc[0]) in set(drawn["enterprise_id"])
    replies = answers_frame(synthetic.holder_answers(drawn, seed=21))
    assert import_responses(replies, HOLDER, sample=drawn).issues == []

    # read back from files, samples have no attrs: the strictest rule their ids follow applies
    drawn.to_csv(tmp_path / "loose.csv", index=False)
    sample.to_csv(tmp_path / "sample.csv", index=False)
    loose_file, sample_file = (pd.read_csv(tmp_path / name, dtype=str, keep_default_na=False)
                               for name in ("loose.csv", "sample.csv"))
    assert loose_file.attrs == {} and import_responses(replies, HOLDER, sample=loose_file).issues == []
    loose_typo = replies.copy()
    valid_row = int(loose_typo.index[loose_typo["enterprise_id"] != mistype(sample["enterprise_id"].iloc[0])][0])
    loose_typo.loc[valid_row, "enterprise_id"] = mistype(loose_typo.loc[valid_row, "enterprise_id"])
    issues = import_responses(loose_typo, HOLDER, sample=loose_file).issues
    assert [(i.row, i.rule) for i in issues] == [(valid_row, "sample")]  # free text: only "not in the sample"
    typo = answers.copy()
    typo.loc[3, "enterprise_id"] = mistype(typo.loc[3, "enterprise_id"])
    assert [(i.row, i.rule) for i in import_responses(typo, HOLDER, sample=sample_file).issues] == [(3, "id")]
