"""``/admin/survey``: who may see it, the exact rates of a known fieldwork, the downloads, and
closing the fieldwork (admin and CSRF only; afterwards a web submission is refused)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.security.conftest import PASSWORD, form_token, sign_in
from tests.web.survey_admin.conftest import OPENED, PAPER, PARTIAL, WEB


def _client(app: FastAPI, name: str | None, lang: str = "en") -> TestClient:
    client = TestClient(app, cookies={"lang": lang})
    if name is not None:
        sign_in(client, name, PASSWORD)
    return client


# hand count of the fieldwork in conftest: (invited, opened, partial, complete, web, paper)
EXPECTED = {
    "medium|east": (3, 0, 1, 1, 1, 0),  # E000004 web, E000014 draft, E000050 nothing
    "small|east": (3, 1, 0, 1, 0, 1),   # E000005 paper, E000009 opened, E000010 nothing
    "all": (6, 1, 1, 2, 1, 1),
}
KEYS = ("invited", "opened", "partial", "complete", "web", "paper")


def test_anonymous_visitors_are_sent_to_sign_in_and_viewers_are_refused(survey_app: FastAPI) -> None:
    anonymous = _client(survey_app, None)
    for path in ("/admin/survey", "/admin/survey/holder/rates.json", "/admin/survey/holder/responses.csv",
                 "/admin/survey/holder/codebook.csv", "/admin/survey/holder/close"):
        answer = anonymous.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"] == f"/login?next={path}"
    token = form_token(anonymous, "/login")
    assert anonymous.post("/admin/survey/holder/close", data={"csrf_token": token}).status_code == 401
    viewer = _client(survey_app, "vera")
    for path in ("/admin/survey", "/admin/survey/holder/rates.json", "/admin/survey/holder/responses.sav"):
        answer = viewer.get(path)
        assert answer.status_code == 403, path
        assert "analyst" in answer.text
    assert "stored-count" not in viewer.get("/admin/survey").text  # nothing of the page leaks


def test_an_analyst_sees_the_exact_rates_per_stratum_and_overall(survey_app: FastAPI) -> None:
    analyst = _client(survey_app, "alice")
    status = analyst.get("/admin/survey/holder/rates.json").json()
    got = {row["stratum"]: tuple(row[k] for k in KEYS) for row in status["rates"]}
    assert got == EXPECTED
    assert [row["stratum"] for row in status["rates"]][-1] == "all"
    rates = {row["stratum"]: row["response_rate"] for row in status["rates"]}
    assert rates == {"medium|east": 1 / 3, "small|east": 1 / 3, "all": 2 / 6}
    assert status["stored"] == 2 and status["closed"] is False
    assert {row["label"] for row in status["rates"]} == {"Medium | Eastern region", "Small | Eastern region",
                                                         "All strata"}
    patent = analyst.get("/admin/survey/patent/rates.json").json()
    assert patent["rates"] == [] and patent["stored"] == 0

    page = analyst.get("/admin/survey")
    assert page.status_code == 200
    holder = page.text.split('id="form-holder"')[1].split('id="form-patent"')[0]
    for stratum, counts in EXPECTED.items():
        row = holder.split(f'data-stratum="{stratum}"')[1].split("</tr>")[0]
        cells = re.findall(r'<td class="num (\w+)">([^<]*)</td>', row)
        assert cells == [*zip(KEYS, map(str, counts), strict=True), ("response_rate", "33.3%")]
    assert '<span class="stored-count">2</span>' in holder
    assert "Fieldwork is open" in holder and "Close fieldwork" not in holder  # closing is for admins
    assert 'src="/static/survey_admin.js"' in page.text and "http-equiv" not in page.text
    patent_part = page.text.split('id="form-patent"')[1]
    assert re.search(r'<p class="when-no-rates">No invitations yet for this questionnaire', patent_part)
    assert re.search(r'<table class="rates-table when-rates" hidden>', patent_part)
    script = analyst.get("/static/survey_admin.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert "section.dataset.rates" in script.text


def test_the_page_is_in_chinese_with_the_forms_own_stratum_labels(survey_app: FastAPI) -> None:
    analyst = _client(survey_app, "alice", lang="zh")
    page = analyst.get("/admin/survey").text
    assert "中型企业 | 东部地区" in page and "全部层" in page
    assert "调查实施" in page


def test_downloads_have_the_right_types_rows_and_labels(survey_app: FastAPI, tmp_path: Path) -> None:
    analyst = _client(survey_app, "alice", lang="zh")
    types = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "parquet": "application/vnd.apache.parquet", "sav": "application/x-spss-sav",
             "dta": "application/x-stata-dta"}
    for fmt, media in types.items():
        answer = analyst.get(f"/admin/survey/holder/responses.{fmt}")
        assert answer.status_code == 200, fmt
        assert answer.headers["content-type"] == media
        assert answer.headers["content-disposition"] == f'attachment; filename="holder-responses.{fmt}"'
        (tmp_path / f"r.{fmt}").write_bytes(answer.content)
    csv = pd.read_csv(tmp_path / "r.csv", dtype=str)
    assert sorted(csv["enterprise_id"]) == [WEB, PAPER]
    assert sorted(pd.read_excel(tmp_path / "r.xlsx", dtype=str)["enterprise_id"]) == [WEB, PAPER]
    assert sorted(pd.read_parquet(tmp_path / "r.parquet")["enterprise_id"]) == [WEB, PAPER]
    data, meta = pyreadstat.read_sav(tmp_path / "r.sav")
    assert sorted(data["enterprise_id"]) == [WEB, PAPER]
    assert meta.column_names_to_labels["size"] == "企业规模"  # the page's language
    assert meta.variable_value_labels["size"] == {1: "大型企业", 2: "中型企业", 3: "小型企业", 4: "微型企业"}
    data, meta = pyreadstat.read_dta(tmp_path / "r.dta")
    assert sorted(data["enterprise_id"]) == [WEB, PAPER]
    by_id = data.set_index("enterprise_id")
    assert by_id.loc[WEB, "size"] == 2.0 and by_id.loc[PAPER, "size"] == 3.0  # medium, small: codes in form order

    book = analyst.get("/admin/survey/holder/codebook.csv")
    assert book.headers["content-type"] == "text/csv; charset=utf-8"
    codebook = pd.read_csv(io.StringIO(book.text), dtype=str, keep_default_na=False)
    assert codebook.set_index("name").loc["size", "choices"] == \
        "1 = large (大型企业); 2 = medium (中型企业); 3 = small (小型企业); 4 = micro (微型企业)"
    assert analyst.get("/admin/survey/holder/codebook.md").headers["content-type"] == "text/markdown; charset=utf-8"
    assert analyst.get("/admin/survey/holder/responses.exe").status_code == 404
    assert analyst.get("/admin/survey/nosuch/responses.csv").status_code == 404
    assert analyst.get("/admin/survey/nosuch/rates.json").status_code == 404


def test_closing_needs_an_admin_and_the_csrf_token_then_submissions_are_refused(survey_app: FastAPI) -> None:
    from patentreach.survey import fieldwork
    from patentreach.survey.store import open_store

    analyst = _client(survey_app, "alice")
    assert analyst.get("/admin/survey/holder/close").status_code == 403
    assert analyst.post("/admin/survey/holder/close",
                        data={"csrf_token": form_token(analyst, "/admin/survey")}).status_code == 403

    admin = _client(survey_app, "root")
    page = admin.get("/admin/survey").text
    assert 'href="/admin/survey/holder/close"' in page
    confirm = admin.get("/admin/survey/holder/close")
    assert confirm.status_code == 200 and 'id="close-form"' in confirm.text
    assert "2 of 6 invited units have answered (33.3%); 1 have saved answers without submitting them." in confirm.text
    assert admin.post("/admin/survey/holder/close", data={}).status_code == 403
    assert admin.post("/admin/survey/holder/close", data={"csrf_token": "forged"}).status_code == 403
    engine = open_store(survey_app.state.config.survey_store_url())
    assert not fieldwork.is_closed(engine, "patentreach_enterprise_holder")

    token = form_token(admin, "/admin/survey/holder/close")
    done = admin.post("/admin/survey/holder/close", data={"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/admin/survey#form-holder"
    assert fieldwork.is_closed(engine, "patentreach_enterprise_holder")
    assert not fieldwork.is_closed(engine, "patentreach_enterprise_patent")
    status = admin.get("/admin/survey/holder/rates.json").json()
    assert status["closed"] is True and status["closed_by"] == "root"
    holder = admin.get("/admin/survey").text.split('id="form-holder"')[1].split('id="form-patent"')[0]
    assert re.search(r'<p class="fieldwork-state when-closed closed">Fieldwork is closed', holder)

    tokens, answers = survey_app.state.test_tokens, survey_app.state.test_answers
    with pytest.raises(fieldwork.FieldworkClosed):
        fieldwork.submit(engine, tokens["E000010"], answers.loc["E000010"].to_dict())
    with pytest.raises(fieldwork.FieldworkClosed):
        fieldwork.save_draft(engine, tokens[OPENED], {"employees": "3"}, 0)
    assert fieldwork.response_rates(engine, "holder").set_index("stratum").loc["all", "complete"] == 2
    engine.dispose()
    assert PARTIAL  # the draft stays counted as partial
    assert json.loads(admin.get("/admin/survey/holder/rates.json").text)["rates"][-1]["partial"] == 1


def test_a_store_that_cannot_be_reached_is_a_503_saying_so(tmp_path: Path, cheap_hashing) -> None:  # type: ignore[no-untyped-def]
    from patentreach.warehouse import Warehouse
    from patentreach.web.app import create_app
    from patentreach.web.config import ServeConfig
    from patentreach.web.security.users import add_user

    config = ServeConfig.for_warehouse(Warehouse(tmp_path / "wh"), tmp_path / "state", rate_limit_per_minute=0,
                                       survey_store="postgresql+psycopg://nobody@127.0.0.1:1/survey")
    app = create_app(config)
    add_user(config.state_dir, "alice", PASSWORD, "analyst")
    analyst = _client(app, "alice")
    for path in ("/admin/survey", "/admin/survey/holder/rates.json", "/admin/survey/holder/responses.dta"):
        answer = analyst.get(path)
        assert answer.status_code == 503, path
        assert ("The survey store cannot be read: postgresql+psycopg://nobody@127.0.0.1:1/survey: "
                "cannot open the survey store: connection failed") in answer.text
        assert "Traceback" not in answer.text
    assert analyst.get("/admin/survey/holder/codebook.csv").status_code == 200  # the codebook needs no store
