"""``patentreach survey invite | remind | status | close`` and paper returns through ``survey
import --store``, on SQLite and on PostgreSQL: the files a survey team mails from, the figures it
watches, and one-line refusals."""

from __future__ import annotations

import functools
import json

import click
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from typer.main import get_command

from patentreach.cli.main import app
from patentreach.survey import fieldwork as fw
from patentreach.survey.store import open_store

runner = CliRunner(env={"COLUMNS": "200"})
BASE = "https://survey.example.cn"


@functools.cache
def command() -> click.Command:
    """The CLI built once (typer rebuilds every command of patentreach on each invoke: 0.4 s)."""
    return get_command(app)


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(command(), ["survey", *args])
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture()
def sample_file(tmp_path, sample):
    units = sample.copy()
    units["contact_name"] = "Li Wei"
    units.loc[units.index[0], "contact_name"] = "=HYPERLINK(\"http://evil.example\")"
    path = tmp_path / "sample.csv"
    units.to_csv(path, index=False)
    return path


def test_a_year_of_fieldwork_from_the_command_line(tmp_path, store_url, sample, sample_file, answers, holder_form):
    out = run("invite", "--sample", str(sample_file), "--store", store_url, "--base-url", BASE + "/",
              "--out", str(tmp_path / "letters.csv"))
    assert "60 invitations for form patentreach_enterprise_holder: 60 new, 0 already invited" in out
    letters = pd.read_csv(tmp_path / "letters.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert letters.columns.tolist() == [
        "token", "link", "enterprise_id", "stratum", "contact_name", "email", "status", "reminders",
    ]
    assert letters["enterprise_id"].tolist() == sample["enterprise_id"].tolist()
    assert (letters["link"] == BASE + "/survey/" + letters["token"]).all()
    assert letters["stratum"].tolist() == sample["stratum"].tolist()
    assert letters["contact_name"].iloc[0] == "'=HYPERLINK(\"http://evil.example\")"  # not a live formula
    assert set(letters["status"]) == {"invited"} and set(letters["reminders"]) == {"0"}

    again = run("invite", "--sample", str(sample_file), "--store", store_url, "--out", str(tmp_path / "letters.xlsx"))
    assert "0 new, 60 already invited (their links are kept)" in again
    sheet = openpyxl.load_workbook(tmp_path / "letters.xlsx").active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == letters["token"].tolist()

    # three answer on the web, two questionnaires come back on paper
    ids = sample["enterprise_id"].tolist()
    engine = open_store(store_url)
    token_of = dict(zip(letters["enterprise_id"], letters["token"], strict=True))
    for unit in ids[:3]:
        fw.submit(engine, token_of[unit], answers[unit], holder_form)
    pd.DataFrame([answers[u] for u in ids[3:5]]).to_csv(tmp_path / "paper.csv", index=False)
    assert "stored as import" in run("import", str(tmp_path / "paper.csv"), "--store", store_url)

    # a paper copy of a questionnaire already answered on the web is refused, naming it
    pd.DataFrame([answers[u] for u in (ids[5], ids[0])]).to_csv(tmp_path / "late.csv", index=False)
    refused = run("import", str(tmp_path / "late.csv"), "--store", store_url, code=2)
    assert refused.count("\n") == 1 and refused.startswith("error: ")
    assert f"1 unit of form patentreach_enterprise_holder is already stored: {ids[0]} (answered on the web)" in refused

    status = json.loads(run("status", "--store", store_url, "--format", "json"))
    assert status["form"] == "patentreach_enterprise_holder" and status["closed_at"] is None
    assert status["definition"].startswith("response rate = complete / invited")
    overall = status["strata"][-1]
    assert overall == {"stratum": "all", "invited": 60, "opened": 0, "partial": 0, "complete": 5, "web": 3,
                       "paper": 2, "response_rate": pytest.approx(5 / 60)}
    expected = sample.groupby("stratum").size()
    assert {s["stratum"]: s["invited"] for s in status["strata"][:-1]} == expected.to_dict()
    table = run("status", "--store", store_url)
    assert "fieldwork open" in table and "8.3%" in table
    csv_rows = run("status", "--store", store_url, "--format", "csv").splitlines()
    assert csv_rows[0] == "stratum,invited,opened,partial,complete,web,paper,response_rate"
    assert csv_rows[-1].startswith("all,60,0,0,5,3,2,0.0833")

    reminded = run("remind", "--store", store_url, "--out", str(tmp_path / "reminders.csv"))
    assert "55 reminders for form patentreach_enterprise_holder (55 invited)" in reminded
    reminders = pd.read_csv(tmp_path / "reminders.csv", dtype=str, encoding="utf-8-sig")
    assert sorted(reminders["enterprise_id"]) == sorted(ids[5:])
    assert set(reminders["reminders"]) == {"1"}
    run("remind", "--store", store_url, "--out", str(tmp_path / "reminders2.csv"))
    assert set(pd.read_csv(tmp_path / "reminders2.csv", dtype=str)["reminders"]) == {"2"}

    closed = run("close", "--store", store_url, "--by", "survey team")
    assert "closed: 5 of 60 invited units answered (8.3%)" in closed
    assert "was already closed on" in run("close", "--store", store_url)
    assert "is closed; no reminders" in run("remind", "--store", store_url, "--out", str(tmp_path / "r.csv"), code=2)
    with pytest.raises(fw.FieldworkClosed):
        fw.submit(engine, token_of[ids[6]], answers[ids[6]], holder_form)
    pd.DataFrame([answers[ids[6]]]).to_csv(tmp_path / "after.csv", index=False)
    run("import", str(tmp_path / "after.csv"), "--store", store_url)  # paper still comes in
    final = json.loads(run("status", "--store", store_url, "-f", "json"))
    assert final["closed_at"] is not None
    assert final["strata"][-1]["complete"] == 6 and final["strata"][-1]["paper"] == 3
    engine.dispose()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "letters.txt"], "--out letters.txt: a mail-merge file is .csv or .xlsx, not '.txt'"),
        (["--base-url", "ftp://x"], "--base-url 'ftp://x': give the web service's address"),
        (["--form", "patent"], "the sample has no column 'patent_id' (each drawn patent's publication number"),
        (["--store", "mysql://nowhere/db"], "mysql://nowhere/db: no database driver for this URL"),
    ],
)
def test_invite_refuses_bad_options_with_one_line(tmp_path, sample_file, args, message, monkeypatch):
    monkeypatch.chdir(tmp_path)
    options = {"--out": "letters.csv", "--store": str(tmp_path / "s.sqlite")}
    options.update(zip(args[::2], args[1::2], strict=True))
    output = run("invite", "--sample", str(sample_file), *[x for kv in options.items() for x in kv], code=2)
    assert output.count("\n") == 1 and message in output.replace("\n", " ")


def test_status_and_remind_before_anyone_is_invited_say_so(tmp_path):
    store = str(tmp_path / "s.sqlite")
    assert "nobody has been invited to form patentreach_enterprise_holder" in run("status", "--store", store)
    assert json.loads(run("status", "--store", store, "-f", "json"))["strata"] == []
    out = run("remind", "--store", store, "--out", str(tmp_path / "r.csv"), code=2)
    assert "nobody has been invited to form patentreach_enterprise_holder yet" in out


def test_a_store_that_cannot_be_reached_is_one_line_without_the_password(tmp_path):
    out = run("status", "--store", "postgresql://ana:secret@127.0.0.1:1/survey", code=2)
    assert out.startswith("error: postgresql+psycopg://ana:***@127.0.0.1:1/survey: cannot open the survey store")
    assert "secret" not in out and out.count("\n") == 1
