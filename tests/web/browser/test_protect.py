"""The protection-gap report in a real browser: sign in, upload the sample portfolio and export
list, read the gaps, download the calendar and the workbook with the session's cookies."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
from selenium.webdriver.common.by import By
from typer.testing import CliRunner

import patentreach.protect
from patentreach.cli.main import app as cli
from patentreach.refdata.names import display_name
from tests.web.browser.pages import fill, require_page, rows, submit_and_wait
from tests.web.browser.server import PAGE_SECONDS
from tests.web.browser.test_sign_in import _sign_in

SAMPLES = Path(patentreach.protect.__file__).parent / "samples"
AS_OF = "2026-06-01"  # the samples' own date: several routes still open (samples/README.md)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cli_gaps(warehouse: Path) -> list[dict]:
    """The gaps ``patentreach protect gaps`` finds in the same files on the same day (``--top 0``:
    the third-party lists, which do not change the gaps, are skipped to save time)."""
    printed = CliRunner().invoke(cli, ["protect", "gaps", "--portfolio", str(SAMPLES / "portfolio.csv"),
                                       "--exports", str(SAMPLES / "exports.csv"), "--as-of", AS_OF,
                                       "--warehouse", str(warehouse), "--format", "json", "--top", "0"])
    assert printed.exit_code == 0, printed.output
    return json.loads(printed.stdout)["gaps"]


def test_the_protect_page_asks_to_sign_in_first(site, browser):
    require_page(site, "/login")
    require_page(site, "/protect")
    browser.get(site.url("/protect"))
    assert urlsplit(browser.current_url).path == "/login"
    assert "next=/protect" in browser.current_url.replace("%2F", "/")


def test_uploading_a_portfolio_and_exports_gives_the_gap_report_and_its_downloads(site, signed_up, browser,
                                                                                    screenshots):
    require_page(site, "/login")
    require_page(site, "/protect")
    name, password = signed_up
    _sign_in(browser, site, name, password, path="/login?next=/protect")
    assert urlsplit(browser.current_url).path == "/protect"
    form = browser.find_element(By.CSS_SELECTOR, "form#gap-form")
    form.find_element(By.NAME, "portfolio").send_keys(str(SAMPLES / "portfolio.csv"))
    form.find_element(By.NAME, "exports").send_keys(str(SAMPLES / "exports.csv"))
    fill(form, "as_of", AS_OF)
    submit_and_wait(browser, form.find_element(By.CSS_SELECTOR, "[type=submit]"))

    assert browser.find_element(By.CSS_SELECTOR, "#gap-report").is_displayed()
    browser.execute_script("document.getElementById('gap-report').scrollIntoView();")
    browser.save_screenshot(str(screenshots / "protect-en.png"))
    expected = _cli_gaps(site.warehouse)
    assert len(rows(browser, "table#gaps")) == len(expected) == 17
    first = rows(browser, "table#gaps")[0].text
    assert expected[0]["product_line"] in first and display_name("country", expected[0]["market"], "en") in first

    cookies = {cookie["name"]: cookie["value"] for cookie in browser.get_cookies()}
    with httpx.Client(cookies=cookies, timeout=PAGE_SECONDS) as session:
        ics = session.get(urljoin(browser.current_url,
                                  browser.find_element(By.CSS_SELECTOR, "a#download-ics").get_attribute("href")))
        xlsx = session.get(urljoin(browser.current_url,
                                   browser.find_element(By.CSS_SELECTOR, "a#download-xlsx").get_attribute("href")))
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert ics.text.startswith("BEGIN:VCALENDAR")
    assert ics.text.count("BEGIN:VEVENT") >= 1
    assert xlsx.status_code == 200 and xlsx.headers["content-type"].startswith(XLSX)
    assert xlsx.content[:4] == b"PK\x03\x04"  # a zip: the workbook's container
