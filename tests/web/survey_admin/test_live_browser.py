"""The live rate table in a real browser: a headless Chromium signed in as an analyst watches
``/admin/survey`` while a questionnaire is submitted and the fieldwork closed; the tables follow
without a reload (the script polls ``rates.json``). Skips without Chromium (as the browser tests
do)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.browser.server import PAGE_SECONDS, Site, serve
from tests.web.survey_admin.conftest import WEB

CHROMIUM = Path(os.environ.get("PATENTREACH_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("PATENTREACH_CHROMEDRIVER", "/usr/bin/chromedriver"))
POLL_BOUND = 30  # seconds: the script polls every 5 s; a loaded 2-core machine is slow
PASSWORD = "correct horse battery staple 9"

pytestmark = [
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="no headless browser (scripts/system-deps.sh installs chromium and chromium-driver)"),
]


@pytest.fixture(scope="module")
def fieldwork_site(tmp_path_factory: pytest.TempPathFactory, holder_sample) -> Iterator[tuple[Site, dict[str, str]]]:  # type: ignore[no-untyped-def]
    """A server whose default survey store (``<state>/survey.sqlite``) has the six invitations
    and one web submission (E000004)."""
    from patentreach.survey import fieldwork
    from patentreach.survey.store import open_store
    from patentreach.web.security.users import add_user

    root = tmp_path_factory.mktemp("live-site")
    state = root / "state"
    state.mkdir()
    add_user(state, "alice", PASSWORD, "analyst")
    sample, answers = holder_sample
    engine = open_store(state / "survey.sqlite")
    table = fieldwork.invite(engine, "holder", sample)
    tokens = dict(zip(table["enterprise_id"], table["token"], strict=True))
    fieldwork.submit(engine, tokens[WEB], answers.set_index("enterprise_id", drop=False).loc[WEB].to_dict())
    engine.dispose()
    yield from ((site, tokens) for site in serve(root / "wh", state, root / "server.log"))


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=en"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en"})
    chrome = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    chrome.set_page_load_timeout(PAGE_SECONDS)
    try:
        yield chrome
    finally:
        chrome.quit()


def _cell(driver, stratum: str, key: str) -> str | None:  # type: ignore[no-untyped-def]
    """The cell's text, read in one script call (the poll replaces the rows: an element found
    first and read later could be gone)."""
    selector = f'#form-holder tr[data-stratum="{stratum}"] td.{key}'
    return driver.execute_script("const c = document.querySelector(arguments[0]); return c && c.textContent;",
                                 selector)


def test_the_rates_follow_submissions_and_closing_without_a_reload(fieldwork_site, driver, holder_sample) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from patentreach.survey import fieldwork
    from patentreach.survey.store import open_store

    site, tokens = fieldwork_site
    driver.get(site.url("/login?next=/admin/survey&lang=en"))
    driver.find_element(By.ID, "username").send_keys("alice")
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "login-submit").click()
    WebDriverWait(driver, PAGE_SECONDS).until(lambda d: d.find_elements(By.ID, "survey-admin"))
    assert _cell(driver, "all", "complete") == "1"
    assert _cell(driver, "all", "response_rate") == "16.7%"
    driver.execute_script("window.notReloaded = true;")

    _, answers = holder_sample
    engine = open_store(site.state_dir / "survey.sqlite")
    fieldwork.submit(engine, tokens["E000010"], answers.set_index("enterprise_id", drop=False).loc["E000010"].to_dict())
    WebDriverWait(driver, POLL_BOUND).until(lambda d: _cell(d, "all", "complete") == "2")
    assert _cell(driver, "all", "response_rate") == "33.3%"
    assert _cell(driver, "small|east", "web") == "1"
    assert driver.find_element(By.CSS_SELECTOR, "#form-holder .stored-count").text == "2"

    fieldwork.close_fieldwork(engine, "holder", by="root")
    engine.dispose()
    closed = (By.CSS_SELECTOR, "#form-holder p.when-closed")
    WebDriverWait(driver, POLL_BOUND).until(lambda d: d.find_element(*closed).is_displayed())
    assert driver.find_element(*closed).text.startswith("Fieldwork is closed")
    assert driver.execute_script("return window.notReloaded === true;")
