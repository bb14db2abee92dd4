"""The respondent's questionnaire over HTTP with JavaScript off (plain form posts): page by page
with skip logic, the form's own constraint messages in Chinese and English, save and resume,
submit once, what is stored, the refusals (unknown link, already submitted, closed), and the
``/check`` answers survey.js applies."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app as cli
from patentreach.survey import fieldwork
from patentreach.survey.instrument.form import load_form
from patentreach.survey.instrument.pages import layout
from patentreach.survey.store import load_responses, open_store
from tests.web.survey.walk import answer_through_web, csrf_of, page_data

HOLDER = load_form("holder")
PAGES = len(layout(HOLDER).pages)


def hidden(html: str, name: str) -> bool:
    """Whether the page renders question ``name`` hidden (the ``hidden`` attribute: JS or not)."""
    found = re.search(rf'<div class="question[^"]*" id="q-{name}" data-field="{name}"( hidden)?>', html)
    assert found, f"question {name} is not on the page"
    return bool(found.group(1))


def issue(html: str, name: str) -> str:
    found = re.search(rf'<p class="issue" id="issue-{name}" role="alert"( hidden)?>([^<]*)</p>', html)
    assert found, f"question {name} is not on the page"
    return "" if found.group(1) else found.group(2)


def post(client, token: str, page: int, answers: dict, action: str, csrf: str, **kwargs):  # type: ignore[no-untyped-def]
    data = {**page_data(HOLDER, page, answers), "csrf_token": csrf, "action": action}
    return client.post(f"/survey/{token}", data=data, follow_redirects=False, **kwargs)


def pick(answers: list[dict], **wanted: str) -> int:
    """The first enterprise from the 25th on (the others' tokens serve other tests) answering so."""
    return next(k for k, a in enumerate(answers) if k >= 25 and all(a[n] == v for n, v in wanted.items()))


def test_a_holder_questionnaire_walked_page_by_page_with_skip_logic(client, engine, tokens, demo_answers):
    k = pick(demo_answers, holds_foreign="yes", transfer_out="no")
    token, answers = tokens[k], demo_answers[k]
    first = client.get(f"/survey/{token}")
    assert first.status_code == 200
    assert '<html lang="zh-CN">' in first.text and "企业专利调查 - 企业问卷" in first.text  # the form's zh note
    assert fieldwork.find_invitation(engine, token).status == "opened"
    assert "<script>" not in first.text and 'src="/static/survey.js"' in first.text  # no inline script
    assert first.headers["cache-control"] == "no-store"  # one enterprise's answers: no cache keeps them
    csrf = csrf_of(first)
    for page in range(PAGES - 1):
        shown = client.get(f"/survey/{token}", params={"page": page})
        assert f'name="page" value="{page}"' in shown.text
        if page == 1:  # the locked id is shown, not asked; the sample's classifiers are offered
            assert f'<span class="locked" id="locked-enterprise_id">{answers["enterprise_id"]}</span>' in shown.text
            assert 'name="enterprise_id"' not in shown.text
            assert f'name="size" value="{answers["size"]}" checked' in shown.text
        if page == 2:
            assert hidden(shown.text, "foreign_patents") and hidden(shown.text, "foreign_offices")
            # "yes" opens the follow-up questions: Next stays on the page and asks for them
            partial = {**answers, "foreign_patents": "", "foreign_offices": ""}
            stay = post(client, token, page, partial, "next", csrf)
            assert stay.status_code == 422
            assert not hidden(stay.text, "foreign_patents")
            assert issue(stay.text, "foreign_patents") == "此题为必答题。"
            assert issue(stay.text, "foreign_offices") == "此题为必答题。"
        if page == 3:
            assert hidden(shown.text, "transfer_out_mode")
        moved = post(client, token, page, answers, "next", csrf)
        assert moved.status_code == 303, moved.text[:2000]
        assert moved.headers["location"] == f"/survey/{token}?page={page + 1}"
        assert fieldwork.load_draft(engine, token)[1] == page + 1
    last = client.get(f"/survey/{token}")  # resumes on the page the draft says
    assert f'name="page" value="{PAGES - 1}"' in last.text and 'id="submit"' in last.text
    done = post(client, token, PAGES - 1, answers, "submit", csrf)
    assert done.status_code == 303, done.text[-3000:]
    assert done.headers["location"] == f"/survey/{token}/done"
    confirmation = client.get(done.headers["location"])
    assert confirmation.status_code == 200 and 'id="survey-done"' in confirmation.text
    invitation = fieldwork.find_invitation(engine, token)
    assert (invitation.status, invitation.channel) == ("complete", "web")
    stored = load_responses(engine, "holder")
    row = stored[stored["enterprise_id"] == answers["enterprise_id"]].iloc[0]
    assert int(row["foreign_patents"]) == int(answers["foreign_patents"])
    assert pd.isna(row["transfer_out_mode"])  # transfer_out = no: skipped

    # a second submission with the same link is refused, and the answers can still be printed
    again = answer_through_web(client, token, answers)
    assert again.status_code == 409 and "本问卷已经提交" in again.text
    assert f'href="/survey/{token}/print"' in again.text
    assert post(client, token, PAGES - 1, answers, "submit", csrf).status_code == 409
    printed = client.get(f"/survey/{token}/print", params={"lang": "en"})
    assert printed.status_code == 200 and "Submitted questionnaire of " + answers["enterprise_id"] in printed.text
    assert printed.headers["cache-control"] == "no-store"
    assert re.search(r'<tr data-field="foreign_patents"><th scope="row">[^<]+</th><td>'
                     + answers["foreign_patents"] + "</td>", printed.text)
    assert 'data-field="difficulty_reasons"' not in printed.text or answers["tech_import_difficulty"] == "yes"


def test_a_constraint_violation_shows_the_forms_message_in_chinese_and_english(client, engine, tokens, demo_answers):
    token, answers = tokens[1], demo_answers[1]
    csrf = csrf_of(client.get(f"/survey/{token}"))
    bad = {**answers, "rd_staff": str(int(answers["employees"]) + 1)}
    zh = post(client, token, 1, bad, "next", csrf)
    assert zh.status_code == 422
    assert issue(zh.text, "rd_staff") == "研发人员数不能超过从业人员数"
    assert f'name="rd_staff" value="{bad["rd_staff"]}"' in zh.text  # what was typed is kept
    assert issue(zh.text, "employees") == ""
    en = post(client, token, 1, bad, "next", csrf, params={"lang": "en"})
    assert en.status_code == 422 and issue(en.text, "rd_staff") == "R&amp;D staff cannot exceed employees"
    typo = post(client, token, 1, {**answers, "employees": "about 50"}, "next", csrf, params={"lang": "en"})
    assert issue(typo.text, "employees") == "Enter a whole number."
    forged = {**page_data(HOLDER, 1, answers), "enterprise_id": "E999999", "csrf_token": csrf, "action": "next"}
    fixed = client.post(f"/survey/{token}", data=forged, follow_redirects=False)
    assert fixed.status_code == 303 and fixed.headers["location"].endswith("?page=2")
    assert fieldwork.load_draft(engine, token)[0]["enterprise_id"] == answers["enterprise_id"]  # locked


def test_save_and_resume_with_the_same_link(survey_app, client, engine, tokens, demo_answers):
    from fastapi.testclient import TestClient

    token, answers = tokens[2], demo_answers[2]
    csrf = csrf_of(client.get(f"/survey/{token}"))
    assert post(client, token, 1, answers, "next", csrf).status_code == 303
    half = {**answers, "design_patents_cn": ""}
    saved = post(client, token, 2, half, "save", csrf)
    assert (saved.status_code, saved.headers["location"]) == (303, f"/survey/{token}?page=2&saved=1")
    assert 'id="survey-saved"' in client.get(saved.headers["location"]).text
    assert fieldwork.find_invitation(engine, token).status == "partial"
    with TestClient(survey_app) as other_browser:  # another day, another browser: only the link
        resumed = other_browser.get(f"/survey/{token}")
        assert resumed.status_code == 200 and 'name="page" value="2"' in resumed.text
        assert f'name="inv_patents_cn" value="{answers["inv_patents_cn"]}"' in resumed.text
        assert 'name="design_patents_cn" value=""' in resumed.text
        back = other_browser.get(f"/survey/{token}", params={"page": 1})
        assert f'name="employees" value="{answers["employees"]}"' in back.text
        answered = answer_through_web(other_browser, token, answers)
        assert answered.status_code == 303 and answered.headers["location"].endswith("/done")


def test_submit_lists_the_problems_of_every_page(client, engine, tokens, demo_answers):
    token, answers = tokens[3], demo_answers[3]
    csrf = csrf_of(client.get(f"/survey/{token}"))
    for page in range(PAGES - 1):
        assert post(client, token, page, answers, "next", csrf).status_code == 303
    post(client, token, 1, {**answers, "size": ""}, "save", csrf)  # went back and cleared an answer
    refused = post(client, token, PAGES - 1, answers, "submit", csrf)
    assert refused.status_code == 422
    assert 'name="page" value="1"' in refused.text  # the page of the first problem
    assert re.search(r'<li><a href="/survey/[^"]+\?page=1">企业规模</a>: 此题为必答题。</li>', refused.text)
    assert issue(refused.text, "size") == "此题为必答题。"
    assert fieldwork.find_invitation(engine, token).status == "partial"


def test_web_answers_are_stored_as_survey_import_stores_them(client, engine, tokens, demo_answers, tmp_path):
    chosen = list(range(10, 18))
    for k in chosen:  # half walked page by page, half in one post
        response = answer_through_web(client, tokens[k], demo_answers[k], one_post=k >= 14)
        assert response.status_code == 303, response.text[:2000]
    paper = tmp_path / "paper.csv"
    pd.DataFrame([demo_answers[k] for k in chosen]).to_csv(paper, index=False)
    imported = CliRunner().invoke(cli, ["survey", "import", str(paper), "--form", "holder",
                                        "--store", str(tmp_path / "paper.sqlite")])
    assert imported.exit_code == 0, imported.output
    ids = [demo_answers[k]["enterprise_id"] for k in chosen]
    web = load_responses(engine, "holder")
    web = web[web["enterprise_id"].isin(ids)].sort_values("enterprise_id").drop(columns=["_import_id", "_row"])
    other = open_store(str(tmp_path / "paper.sqlite"))
    stored = load_responses(other, "holder").sort_values("enterprise_id").drop(columns=["_import_id", "_row"])
    other.dispose()
    assert len(web) == len(stored) == 8
    pd.testing.assert_frame_equal(web.reset_index(drop=True), stored.reset_index(drop=True))


def test_the_check_answers_what_survey_js_applies(client, tokens, demo_answers):
    token = tokens[5]
    csrf = csrf_of(client.get(f"/survey/{token}"))
    check = f"/survey/{token}/check"
    no = client.post(check, data={"page": "2", "holds_foreign": "no"}, headers={"X-CSRF-Token": csrf})
    assert no.status_code == 200
    assert no.json()["relevant"]["foreign_patents"] is False
    yes = client.post(check, data={"page": "2", "holds_foreign": "yes"}, headers={"X-CSRF-Token": csrf}).json()
    assert yes["relevant"]["foreign_patents"] is True and yes["issues"]["foreign_patents"] == "此题为必答题。"
    markets = client.post(check, data={"page": "4", "exports": "yes", "export_markets": ["us", "de"],
                                       "export_protection": "some"}, headers={"X-CSRF-Token": csrf}).json()
    assert markets["allowed"]["protected_markets"] == ["us", "de"]
    assert markets["relevant"]["protected_markets"] is True and markets["relevant"]["export_share_pct"] is True
    answers = demo_answers[5]
    bad = {**page_data(HOLDER, 1, answers), "rd_staff": str(int(answers["employees"]) + 1)}
    en = client.post(check, data=bad, headers={"X-CSRF-Token": csrf, "Accept-Language": "en"},
                     params={"lang": "en"}).json()
    assert en["issues"] == {"rd_staff": "R&D staff cannot exceed employees"}
    assert client.post(check, data={"page": "2"}).status_code == 403  # no CSRF token
    assert client.post(check, data={"page": "2"}, headers={"X-CSRF-Token": csrf,
                                                         "Origin": "https://elsewhere.example"}).status_code == 403
    # the check saves nothing
    unsaved = client.get(f"/survey/{token}", params={"page": 2}).text
    assert 'name="holds_foreign" value="yes" checked' not in unsaved


def test_a_post_without_the_csrf_token_is_refused(client, tokens, demo_answers):
    refused = client.post(f"/survey/{tokens[6]}", data={**page_data(HOLDER, 1, demo_answers[6]), "action": "next"})
    assert refused.status_code == 403


def test_an_unknown_link_is_404(client, tokens):
    page = client.get("/survey/not-a-token")
    assert page.status_code == 404 and "此调查链接无效" in page.text
    english = client.get("/survey/not-a-token", params={"lang": "en"})
    assert "This survey link is not valid" in english.text
    assert client.get("/survey/not-a-token/print").status_code == 404
    assert client.get("/survey/not-a-token/done").status_code == 404
    csrf = csrf_of(client.get(f"/survey/{tokens[8]}"))
    assert client.post("/survey/not-a-token", data={"csrf_token": csrf, "action": "next"}).status_code == 404
    assert client.post("/survey/not-a-token/check", data={"page": "1"},
                       headers={"X-CSRF-Token": csrf}).status_code == 404


def test_a_closed_survey_says_so(client, engine, units: pd.DataFrame, tmp_path: Path):
    sample = units.iloc[:2].assign(patent_id=["CN110000001B", "CN110000002B"], patent_type="invention")
    table = fieldwork.invite(engine, "patent", sample)
    token = table["token"].iloc[0]
    opened = client.get(f"/survey/{token}")
    assert opened.status_code == 200
    csrf = csrf_of(opened)
    identity = client.get(f"/survey/{token}", params={"page": 1}).text  # the patent form's ids: both locked
    assert '<span class="locked" id="locked-patent_id">CN110000001B</span>' in identity
    assert f'<span class="locked" id="locked-enterprise_id">{units["enterprise_id"].iloc[0]}</span>' in identity
    assert 'name="patent_type" value="invention" checked' in identity  # offered from the sample
    fieldwork.close_fieldwork(engine, "patent", by="test")
    closed = client.get(f"/survey/{token}")
    assert closed.status_code == 410 and "调查已结束" in closed.text
    assert client.post(f"/survey/{token}", data={"csrf_token": csrf, "page": "1", "action": "save"}).status_code == 410
    assert client.get(f"/survey/{token}/print").status_code == 200  # what was saved can still be printed


@pytest.mark.parametrize("page", ["-3", "99", "two"])
def test_a_page_number_out_of_range_gives_a_page(client, tokens, page):
    assert client.get(f"/survey/{tokens[7]}", params={"page": page}).status_code == 200


def test_a_store_that_cannot_be_reached_gives_a_503_page(tmp_path: Path):
    from fastapi.testclient import TestClient

    from patentreach.warehouse import Warehouse
    from patentreach.web.app import create_app
    from patentreach.web.config import ServeConfig

    down = "postgresql+psycopg://survey:secret@127.0.0.1:1/survey"  # loopback, nothing listens on port 1
    config = ServeConfig.for_warehouse(Warehouse(tmp_path / "wh"), tmp_path / "state", survey_store=down)
    with TestClient(create_app(config)) as client:
        page = client.get("/survey/some-token")
        assert page.status_code == 503 and "调查系统暂时无法访问" in page.text
        assert "secret" not in page.text and "Traceback" not in page.text


def test_an_invitation_to_a_form_not_installed_here_says_so(client, engine, tmp_path: Path):
    from tests.survey.test_pages import _calculating_form

    custom = load_form(_calculating_form(tmp_path))
    table = fieldwork.invite(engine, custom, pd.DataFrame({"enterprise_id": ["E900001"]}))
    page = client.get(f"/survey/{table['token'].iloc[0]}", params={"lang": "en"})
    assert page.status_code == 503 and "The form of this questionnaire is not installed on this server." in page.text


def test_a_calculated_field_is_shown_and_updated_by_the_check(client, engine, tmp_path: Path, monkeypatch):
    """The bundled forms have no ``calculate`` field: a small form of the test's own has one (served
    as if it were installed)."""
    from tests.survey.test_pages import _calculating_form

    custom = load_form(_calculating_form(tmp_path))
    monkeypatch.setattr(fieldwork, "_form_of", lambda form_id: custom)
    table = fieldwork.invite(engine, custom, pd.DataFrame({"enterprise_id": ["E900002"]}))
    token = table["token"].iloc[0]
    page = client.get(f"/survey/{token}", params={"page": 1, "lang": "en"})
    assert page.status_code == 200
    assert '<output id="calc-share" data-calc="share"></output>' in page.text  # NaN (a blank budget) is blank
    assert hidden(page.text, "share")  # no label: kept, not shown, as in ODK
    assert '<p class="hint" id="hint-budget">Thousand yuan</p>' in page.text
    assert hidden(page.text, "over")
    csrf = csrf_of(page)
    state = client.post(f"/survey/{token}/check", data={"page": "1", "budget": "200", "spent": "250"},
                        headers={"X-CSRF-Token": csrf}).json()
    assert state["calculated"] == {"share": "1.25"} and state["relevant"]["over"] is True
    saved = client.post(f"/survey/{token}", data={"page": "1", "budget": "200", "spent": "250", "action": "save",
                                                  "csrf_token": csrf}, follow_redirects=True)
    assert '<output id="calc-share" data-calc="share">1.25</output>' in saved.text and not hidden(saved.text, "over")
    done = client.post(f"/survey/{token}", data={"page": "1", "budget": "200", "spent": "250", "action": "submit",
                                                 "csrf_token": csrf}, follow_redirects=False)
    assert done.status_code == 303, done.text[-3000:]
    assert done.headers["location"] == f"/survey/{token}/done"


def test_concurrent_submissions_of_one_link_store_one_response(survey_app, engine):
    from concurrent.futures import ThreadPoolExecutor

    from fastapi.testclient import TestClient

    from patentreach.survey import synthetic

    unit = synthetic.make_frame(400, 2021).iloc[[300]]
    answers = synthetic.holder_answers(unit, 2021, HOLDER).iloc[0].to_dict()
    token = fieldwork.invite(engine, "holder", unit).set_index("unit_key").at[answers["enterprise_id"], "token"]

    def respondent(_: int) -> int:  # six browsers with the same link, submitting at once
        with TestClient(survey_app) as browser:
            return answer_through_web(browser, token, answers, one_post=True).status_code

    with ThreadPoolExecutor(6) as pool:
        statuses = sorted(pool.map(respondent, range(6)))
    assert statuses == [303, 409, 409, 409, 409, 409]
    stored = load_responses(engine, "holder")
    assert (stored["enterprise_id"] == answers["enterprise_id"]).sum() == 1
