"""The fieldwork life cycle on SQLite and on a real PostgreSQL: invite, open, save and resume,
submit once, close, paper returns, response rates, reminders.

Expected counts are computed independently from the sample (pandas on the sets of units each
test sends through each channel), never read back from the function under test."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from patentreach.survey import fieldwork as fw
from patentreach.survey import store
from patentreach.survey.responses import import_responses
from patentreach.survey.store import StoreError, import_log, load_responses, save_import


def paper(answers: dict[str, dict[str, str]], ids: list[str], form) -> object:
    """A keyed-in paper batch of ``ids`` (rows 2.. as in a file), validated by the import."""
    table = pd.DataFrame([answers[i] for i in ids], index=range(2, 2 + len(ids)), dtype=object)
    result = import_responses(table, form)
    assert len(result.rejected) == 0, result.issues
    return result


def tokens(engine, form) -> dict[str, str]:
    table = fw.invitation_table(engine, form)
    return dict(zip(table["enterprise_id"], table["token"], strict=True))


def test_invite_gives_one_unguessable_token_per_unit_and_keeps_them_when_run_again(engine, holder_form, sample):
    first = fw.invite(engine, holder_form, sample.iloc[:40])
    assert len(first) == 40 and first["token"].is_unique
    # 16 random bytes, URL-safe, never a leading "-" (a formula to a spreadsheet)
    assert all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{21}", t) for t in first["token"])
    again = fw.invite(engine, holder_form, sample)
    assert len(again) == 60 and again["token"].is_unique
    kept = again.set_index("enterprise_id")["token"]
    assert kept.loc[first["enterprise_id"]].tolist() == first["token"].tolist()
    assert set(again["enterprise_id"]) == set(sample["enterprise_id"])
    assert (again["status"] == "invited").all()
    row = sample.iloc[0]
    invitation = fw.find_invitation(engine, kept[row["enterprise_id"]])
    assert invitation.prefill == {k: row[k] for k in ("enterprise_id", "size", "sector", "industry", "region")}
    assert invitation.contact == {"email": f"ip-office@{row['enterprise_id'].lower()}.example.cn"}
    assert invitation.locked == ("enterprise_id",)
    assert invitation.stratum == row["stratum"]
    with pytest.raises(fw.UnknownToken):
        fw.find_invitation(engine, "not-a-token")


def test_a_respondent_saves_leaves_resumes_and_submits_once(engine, holder_form, sample, answers):
    fw.invite(engine, holder_form, sample)
    unit = sample["enterprise_id"].iloc[3]
    token = tokens(engine, holder_form)[unit]
    fw.mark_opened(engine, token)
    assert fw.find_invitation(engine, token).status == "opened"
    typed = {k: answers[unit][k] for k in ("employees", "rd_staff", "revenue_mcny")}
    fw.save_draft(engine, token, {**typed, "enterprise_id": "E999999"}, page=1)  # the id is locked
    fw.mark_opened(engine, token)  # a later visit does not step back from partial
    assert fw.find_invitation(engine, token).status == "partial"
    resumed, page = fw.load_draft(engine, token)
    assert page == 1
    assert resumed["enterprise_id"] == unit and resumed["employees"] == answers[unit]["employees"]
    assert resumed["sector"] == sample.set_index("enterprise_id").loc[unit, "sector"]  # prefilled
    import_id = fw.submit(engine, token, answers[unit], holder_form)
    done = fw.find_invitation(engine, token)
    assert (done.status, done.channel) == ("complete", "web")
    assert fw.load_draft(engine, token)[1] == 0  # the draft is gone with the submission
    stored = load_responses(engine, "holder")
    assert stored["enterprise_id"].tolist() == [unit]
    assert stored["employees"].tolist() == [int(answers[unit]["employees"])]
    assert str(stored["employees"].dtype) == "Int64" and str(stored["revenue_mcny"].dtype) == "Float64"
    log = import_log(engine)
    assert log[["import_id", "source", "rows_in", "accepted", "rejected"]].values.tolist() == [
        [import_id, "web", 1, 1, 0]
    ]
    with pytest.raises(fw.AlreadySubmitted):
        fw.submit(engine, token, answers[unit], holder_form)
    with pytest.raises(fw.AlreadySubmitted):
        fw.save_draft(engine, token, typed, page=2)


def test_answers_breaking_the_form_are_refused_with_the_field_and_nothing_is_stored(
    engine, holder_form, sample, answers
):
    fw.invite(engine, holder_form, sample)
    unit = sample["enterprise_id"].iloc[0]
    token = tokens(engine, holder_form)[unit]
    with pytest.raises(fw.InvalidAnswers) as refused:
        fw.submit(engine, token, {**answers[unit], "employees": "0"}, holder_form)
    assert [(i.column, i.rule) for i in refused.value.result.issues] == [("employees", "constraint")]
    assert "Employees must be between 1 and 500,000" in str(refused.value)
    assert fw.find_invitation(engine, token).status == "invited"
    assert len(load_responses(engine, "holder")) == 0 and import_log(engine).empty


def test_closing_stops_the_web_but_not_paper_returns(engine, holder_form, sample, answers):
    fw.invite(engine, holder_form, sample)
    first, second = sample["enterprise_id"].iloc[:2]
    assert not fw.is_closed(engine, holder_form.form_id)
    fw.close_fieldwork(engine, holder_form, by="admin")
    fw.close_fieldwork(engine, holder_form, by="admin")  # closing twice is harmless
    assert fw.is_closed(engine, holder_form.form_id)
    token = tokens(engine, holder_form)[first]
    with pytest.raises(fw.FieldworkClosed):
        fw.submit(engine, token, answers[first], holder_form)
    with pytest.raises(fw.FieldworkClosed):
        fw.save_draft(engine, token, {}, page=0)
    save_import(engine, paper(answers, [second], holder_form))
    assert fw.find_invitation(engine, tokens(engine, holder_form)[second]).channel == "paper"


def test_a_unit_answered_on_the_web_is_refused_on_paper_with_one_line_and_the_batch_stores_nothing(
    engine, holder_form, sample, answers
):
    fw.invite(engine, holder_form, sample)
    web_unit, other = sample["enterprise_id"].iloc[:2]
    fw.submit(engine, tokens(engine, holder_form)[web_unit], answers[web_unit], holder_form)
    with pytest.raises(StoreError) as refused:
        save_import(engine, paper(answers, [other, web_unit], holder_form))
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith(
        f"1 unit of form patentreach_enterprise_holder is already stored: {web_unit} (answered on the web);"
    )
    assert load_responses(engine, "holder")["enterprise_id"].tolist() == [web_unit]
    assert fw.find_invitation(engine, tokens(engine, holder_form)[other]).status == "invited"


def test_a_unit_returned_on_paper_cannot_be_submitted_on_the_web(engine, holder_form, sample, answers):
    fw.invite(engine, holder_form, sample)
    unit = sample["enterprise_id"].iloc[5]
    token = tokens(engine, holder_form)[unit]
    fw.save_draft(engine, token, {"employees": "12"}, page=1)
    save_import(engine, paper(answers, [unit], holder_form))
    invitation = fw.find_invitation(engine, token)
    assert (invitation.status, invitation.channel) == ("complete", "paper")
    with pytest.raises(fw.AlreadySubmitted):
        fw.submit(engine, token, answers[unit], holder_form)
    assert len(load_responses(engine, "holder")) == 1


def test_response_rates_count_web_and_paper_per_stratum_and_overall(engine, holder_form, sample, answers, monkeypatch):
    # IN (...) lists of 7 keys: the paper batch of 12 and the 41 reminders span several statements,
    # as 50,000 patent invitations do with the real limit
    monkeypatch.setattr(store, "CHUNK", 7)
    fw.invite(engine, holder_form, sample)
    token_of = tokens(engine, holder_form)
    ids = sample["enterprise_id"].tolist()
    web, on_paper, drafting, opened = ids[0:14:2], ids[1:14:2] + ids[40:45], ids[20:24], ids[30:33]
    for unit in web:
        fw.submit(engine, token_of[unit], answers[unit], holder_form)
    save_import(engine, paper(answers, on_paper, holder_form))
    for unit in drafting:
        fw.save_draft(engine, token_of[unit], {"employees": answers[unit]["employees"]}, page=1)
    for unit in opened:
        fw.mark_opened(engine, token_of[unit])

    expected = sample[["enterprise_id", "stratum"]].copy()
    expected["web"] = expected["enterprise_id"].isin(web).astype("int64")
    expected["paper"] = expected["enterprise_id"].isin(on_paper).astype("int64")
    expected["partial"] = expected["enterprise_id"].isin(drafting).astype("int64")
    expected["opened"] = expected["enterprise_id"].isin(opened).astype("int64")
    expected["complete"] = expected["web"] + expected["paper"]
    expected["invited"] = 1
    columns = ["invited", "opened", "partial", "complete", "web", "paper"]
    by_stratum = expected.groupby("stratum")[columns].sum().sort_index()
    by_stratum.loc["all"] = by_stratum.sum()
    by_stratum["response_rate"] = by_stratum["complete"] / by_stratum["invited"]

    rates = fw.response_rates(engine, holder_form).set_index("stratum")
    pd.testing.assert_frame_equal(rates, by_stratum.rename_axis("stratum"), check_dtype=False)
    overall = rates.loc["all"]
    assert overall[columns].tolist() == [60, 3, 4, 19, 7, 12]
    assert overall["response_rate"] == pytest.approx(19 / 60)

    left = fw.outstanding(engine, holder_form)
    assert len(left) == 41 and not set(left["enterprise_id"]) & set(web + on_paper)
    assert fw.record_reminders(engine, [*left["token"].tolist(), token_of[web[0]]]) == 41
    table = fw.invitation_table(engine, holder_form).set_index("enterprise_id")
    assert table.loc[left["enterprise_id"], "reminders"].eq(1).all()
    assert table.loc[web + on_paper, "reminders"].eq(0).all()


def test_response_rates_of_a_form_nobody_was_invited_to_is_an_empty_table(engine, holder_form):
    rates = fw.response_rates(engine, holder_form)
    assert rates.empty
    assert rates.columns.tolist() == [
        "stratum", "invited", "opened", "partial", "complete", "web", "paper", "response_rate",
    ]


def test_checked_answers_are_stored_only_under_their_own_unit_s_link(engine, holder_form, sample, answers):
    fw.invite(engine, holder_form, sample)
    first, second = sample["enterprise_id"].iloc[:2]
    token_of = tokens(engine, holder_form)
    checked = fw.check_submission(holder_form, fw.find_invitation(engine, token_of[first]), answers[first])
    with pytest.raises(fw.FieldworkError, match=f"these answers are for patentreach_enterprise_holder {first}"):
        fw.record_submission(engine, token_of[second], checked)
    assert fw.record_submission(engine, token_of[first], checked) >= 1
    assert load_responses(engine, "holder")["enterprise_id"].tolist() == [first]
