"""The outbound dashboard in a real browser: filtering, drilling down to the records, Chinese.

The figures a page shows are checked against ``/api/v1/outbound`` for the very query the form
submitted (the API's JSON equals ``patentreach stats outbound --format json``,
tests/web/test_foundation.py): the page must show the CLI's figures, not merely "a table".
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import httpx
from selenium.webdriver.common.by import By

from tests.web.browser.pages import HAN, change_filters, integer, query_of, require_page, rows, submit_and_wait
from tests.web.browser.server import PAGE_SECONDS

FILTER = {"origin": "CN", "sector": "company", "offices": "US", "years": "2015-2021", "by": "year"}
"""Grants of Chinese enterprises at the USPTO by year, 2015-2021: seven cells on the synthetic
warehouse (seed 7), the largest 2019's, small enough that its records fit on a page. The
dashboard opens on Chinese enterprises at the major offices by office and year, all years: this
changes offices, years and the breakdown."""


def _api(site, query: dict[str, str]) -> dict:  # type: ignore[no-untyped-def]
    answer = httpx.get(site.url("/api/v1/outbound"), params=query, timeout=PAGE_SECONDS)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _chart(browser) -> str:  # type: ignore[no-untyped-def]
    return browser.find_element(By.CSS_SELECTOR, "#chart svg").get_attribute("outerHTML")


def test_filtering_the_dashboard_changes_table_and_chart_and_a_cell_opens_its_records(site, browser):
    require_page(site, "/", "form#filters", browser)
    browser.get(site.url("/"))
    before_rows = [row.text for row in rows(browser, "table#outbound")]
    before_chart = _chart(browser)

    change_filters(browser, "form#filters", FILTER)
    submit_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#apply"))

    submitted = dict(parse_qsl(urlsplit(browser.current_url).query, keep_blank_values=True))
    assert {name: submitted.get(name) for name in FILTER} == FILTER  # a GET form: the URL is the query
    expected = _api(site, query_of(browser.current_url))
    links = browser.find_elements(By.CSS_SELECTOR, "table#outbound a.cell-link")
    assert len(rows(browser, "table#outbound")) == len(expected["rows"]) == 7
    assert sorted(integer(link.text) for link in links) == sorted(int(row["count"]) for row in expected["rows"])
    assert [row.text for row in rows(browser, "table#outbound")] != before_rows
    assert _chart(browser) != before_chart

    largest = max(links, key=lambda link: integer(link.text))
    count = integer(largest.text)
    cell = [value for key, value in parse_qsl(urlsplit(largest.get_attribute("href")).query) if key == "cell"]
    assert max(int(row["count"]) for row in expected["rows"]) == count
    top = max(expected["rows"], key=lambda row: row["count"])
    assert cell == [f"year={top['year']}"]  # the CLI's --cell KEY=VALUE
    submit_and_wait(browser, largest)
    assert urlsplit(browser.current_url).path == "/records"
    assert len(rows(browser, "table#records")) == count


def test_the_dashboard_in_chinese_with_screenshots_of_both_languages(site, browser, screenshots):
    require_page(site, "/", "#headline", browser)
    browser.get(site.url("/"))
    english_headline = browser.find_element(By.CSS_SELECTOR, "#headline").text
    english_counts = [link.text for link in browser.find_elements(By.CSS_SELECTOR, "table#outbound a.cell-link")]
    assert not HAN.search(english_headline)
    latest = _api(site, {"origin": "CN", "sector": "company", "offices": "major", "by": "year"})["rows"][-1]
    figures = [str(latest["year"]), f"{int(latest['count']):,}", f"{abs(latest['yoy_pct']):.1f}%"]
    assert all(figure in english_headline for figure in figures), (figures, english_headline)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    browser.save_screenshot(str(screenshots / "dashboard-en.png"))

    submit_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "a#lang-zh"))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    headline = browser.find_element(By.CSS_SELECTOR, "#headline").text
    assert HAN.search(headline), headline
    assert headline != english_headline
    assert all(figure in headline for figure in figures), (figures, headline)  # the same figures, formatted
    table = browser.find_element(By.CSS_SELECTOR, "table#outbound").text
    assert "美国" in table  # the United States Patent and Trademark Office's country, named in Chinese
    assert [integer(text) for text in
            (link.text for link in browser.find_elements(By.CSS_SELECTOR, "table#outbound a.cell-link"))] == \
        [integer(text) for text in english_counts]  # the same figures, in the same order
    assert browser.find_element(By.CSS_SELECTOR, "#definition").text
    assert HAN.search(browser.find_element(By.CSS_SELECTOR, "#definition").text)
    browser.save_screenshot(str(screenshots / "dashboard-zh.png"))

    browser.get(site.url("/"))  # the choice is remembered (cookie) until switched back
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    submit_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "a#lang-en"))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
