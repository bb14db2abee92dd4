"""The respondent's questionnaire in headless Chromium (JavaScript on): skip logic applied as the
respondent answers (holds_foreign=no hides foreign_patents), the form's constraint message shown
and cleared live (rd_staff above employees), leaving and resuming with the same link (answers
kept), submitting, and a second submission with the same link refused."""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from patentreach.survey import fieldwork, synthetic
from patentreach.survey.instrument.form import load_form
from patentreach.survey.instrument.pages import layout
from patentreach.survey.store import open_store
from tests.web.browser.pages import document_statuses, fill
from tests.web.browser.server import PAGE_SECONDS, WAIT_SECONDS, Site, serve

HOLDER = load_form("holder")
HOLDER_PROFILE_ZH = layout(HOLDER).pages[1].label("zh")  # the XLSForm's own group label
SEED = 2021
ADMIN_PASSWORD = "survey team password 42"


@pytest.fixture(scope="module")
def survey_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """``patentreach serve`` with no warehouse (the questionnaire needs none); its survey store
    is the state folder's ``survey.sqlite`` (or ``$PATENTREACH_WEB_SURVEY_STORE``)."""
    root = tmp_path_factory.mktemp("browser-survey")
    yield from serve(root / "wh", root / "state", root / "survey.log")


@pytest.fixture(scope="module")
def invited(survey_site: Site) -> tuple[str, dict[str, str]]:
    """The link token of an enterprise of the synthetic frame, and the demo's answers for it (one
    without patents abroad, so that the skip logic has something to hide)."""
    store = os.environ.get("PATENTREACH_WEB_SURVEY_STORE") or str(survey_site.state_dir / "survey.sqlite")
    units = synthetic.make_frame(400, SEED).iloc[:40].reset_index(drop=True)
    answers = synthetic.holder_answers(units, SEED, HOLDER)
    k = int(((answers["holds_foreign"] == "no") & (answers["exports"] == "yes")).to_numpy().argmax())
    engine = open_store(store)
    try:
        table = fieldwork.invite(engine, "holder", units.iloc[[k]])
    finally:
        engine.dispose()
    return str(table["token"].iloc[0]), answers.iloc[k].to_dict()


def question(browser: WebDriver, name: str):  # type: ignore[no-untyped-def]
    return browser.find_element(By.ID, f"q-{name}")


def wait_until(browser: WebDriver, condition, what: str) -> None:  # type: ignore[no-untyped-def]
    WebDriverWait(browser, WAIT_SECONDS).until(lambda driver: condition(), message=what)


def press(browser: WebDriver, button: str) -> None:
    """Click the button with id ``button`` and wait (bounded) for the page it leads to. The old
    page is marked with a window property that the new one lacks: Chromium may answer a query
    about an element of the page being replaced with a generic error ("Node with given id does not
    belong to the document") instead of a stale-element error, so the wait ignores those."""
    browser.execute_script("window.surveyOldPage = true;")
    browser.find_element(By.ID, button).click()
    WebDriverWait(browser, PAGE_SECONDS, ignored_exceptions=(WebDriverException,)).until(
        lambda driver: driver.execute_script(
            "return window.surveyOldPage === undefined && document.readyState === 'complete';"),
        message=f"no new page after {button}")


def answer_page(browser: WebDriver, page: int, answers: dict[str, str]) -> None:
    """Answer the page's questions as a person does, each once it is shown (the script shows a
    question when the server says an earlier answer makes it apply)."""
    form = browser.find_element(By.ID, "survey-form")
    for name in layout(HOLDER).pages[page].answer_names:
        value = answers.get(name, "")
        if not value or name in ("enterprise_id",):
            continue
        wait_until(browser, lambda name=name: question(browser, name).is_displayed(), f"{name} is not shown")
        kind = HOLDER.field(name).type
        fill(form, name, ",".join(value.split()) if kind == "select_multiple" else value)


def test_a_respondent_answers_leaves_resumes_and_submits_once(survey_site: Site, invited, browser, screenshots):
    token, answers = invited
    link = survey_site.url(f"/survey/{token}")
    browser.get(link + "?page=1&lang=zh")  # looking at a page does not move the draft
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    assert browser.find_element(By.CSS_SELECTOR, "#survey-form h1").text == HOLDER_PROFILE_ZH
    browser.save_screenshot(str(screenshots / "survey-zh.png"))
    browser.get(link + "?lang=en")
    assert browser.find_element(By.CSS_SELECTOR, "#survey-form h1").text == "Introduction"
    press(browser, "next")

    # page 1: R&D staff above the employees: the form's message appears, and goes when fixed
    assert browser.find_element(By.ID, "locked-enterprise_id").text == answers["enterprise_id"]
    answer_page(browser, 1, answers)
    form = browser.find_element(By.ID, "survey-form")
    message = browser.find_element(By.ID, "issue-rd_staff")
    fill(form, "rd_staff", str(int(answers["employees"]) + 5))
    wait_until(browser, lambda: message.is_displayed() and message.text == "R&D staff cannot exceed employees",
               "no message for rd_staff > employees")
    browser.save_screenshot(str(screenshots / "survey-constraint-en.png"))
    fill(form, "rd_staff", answers["rd_staff"])
    wait_until(browser, lambda: not message.is_displayed(), "the message stays after the fix")
    press(browser, "next")

    # page 2: patents abroad "yes" opens the follow-up questions, "no" hides them again, live
    form = browser.find_element(By.ID, "survey-form")
    assert not question(browser, "foreign_patents").is_displayed()
    fill(form, "holds_foreign", "yes")
    wait_until(browser, question(browser, "foreign_patents").is_displayed, "yes does not show foreign_patents")
    assert question(browser, "foreign_offices").is_displayed()
    answer_page(browser, 2, answers)  # holds_foreign = no
    wait_until(browser, lambda: not question(browser, "foreign_patents").is_displayed(), "no keeps foreign_patents")
    browser.save_screenshot(str(screenshots / "survey-skip-en.png"))
    press(browser, "next")
    assert browser.find_element(By.CSS_SELECTOR, "input[name=page]").get_attribute("value") == "3"

    # leave, and come back later with the same link: the questionnaire resumes, answers kept
    browser.get("about:blank")
    browser.get(link)
    assert browser.find_element(By.CSS_SELECTOR, "input[name=page]").get_attribute("value") == "3"
    press(browser, "back")
    assert browser.find_element(By.CSS_SELECTOR, "input[name=holds_foreign][value=no]").is_selected()
    assert browser.find_element(By.NAME, "inv_patents_cn").get_attribute("value") == answers["inv_patents_cn"]
    assert not question(browser, "foreign_patents").is_displayed()
    press(browser, "next")

    last = len(layout(HOLDER).pages) - 1
    for page in range(3, last + 1):
        answer_page(browser, page, answers)
        csrf = browser.find_element(By.NAME, "csrf_token").get_attribute("value")
        press(browser, "submit" if page == last else "next")
    assert browser.find_element(By.ID, "survey-done").is_displayed()
    browser.save_screenshot(str(screenshots / "survey-done-en.png"))

    # the same link again: already submitted (409), in the browser and for a direct post
    browser.get_log("performance")
    browser.get(link)
    assert (link, 409) in document_statuses(browser)
    assert "already been submitted" in browser.find_element(By.ID, "survey-message").text
    cookies = {cookie["name"]: cookie["value"] for cookie in browser.get_cookies()}
    with httpx.Client(cookies=cookies, timeout=PAGE_SECONDS) as session:
        again = session.post(link, data={"action": "submit", "page": str(last), "csrf_token": csrf},
                             headers={"Origin": survey_site.base_url})
    assert again.status_code == 409 and "already been submitted" in again.text
    printed = httpx.get(link + "/print?lang=en", timeout=PAGE_SECONDS)
    assert printed.status_code == 200 and "Submitted questionnaire of " + answers["enterprise_id"] in printed.text


    # the survey team's page shows the submission: one complete questionnaire, through the web
    from patentreach.web.security.users import add_user

    add_user(survey_site.state_dir, "fieldwork-admin", ADMIN_PASSWORD, "admin")
    browser.get(survey_site.url("/login?lang=en"))
    login = browser.find_element(By.CSS_SELECTOR, "form#login-form")
    login.find_element(By.NAME, "username").send_keys("fieldwork-admin")
    login.find_element(By.NAME, "password").send_keys(ADMIN_PASSWORD)
    press(browser, "login-submit")
    browser.get(survey_site.url("/admin/survey"))
    total = browser.find_element(By.CSS_SELECTOR, '#form-holder tr[data-stratum="all"]')
    counts = {key: total.find_element(By.CSS_SELECTOR, f"td.{key}").text for key in ("invited", "complete", "web")}
    assert counts == {"invited": "1", "complete": "1", "web": "1"}
