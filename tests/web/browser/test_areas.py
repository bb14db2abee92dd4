"""Applicants and transfers in a real browser, on the real samples' warehouse (USPTO assignments,
EPO DOCDB: the synthetic warehouse has neither real names nor transfers)."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from selenium.webdriver.common.by import By

from tests.web.browser.pages import fill, integer, require_page, rows, submit_and_wait
from tests.web.browser.server import PAGE_SECONDS


def test_searching_an_applicant_leads_to_its_page_with_variants_and_publications(samples_site, browser):
    require_page(samples_site, "/entities", "form#entity-search", browser)
    browser.get(samples_site.url("/entities"))
    form = browser.find_element(By.CSS_SELECTOR, "form#entity-search")
    fill(form, "q", "robert bosch")
    submit_and_wait(browser, form.find_element(By.CSS_SELECTOR, "[type=submit]"))
    results = browser.find_elements(By.CSS_SELECTOR, "ul#entity-results a")
    assert [result.text for result in results][:1] == ["ROBERT BOSCH G.M.B.H."]

    submit_and_wait(browser, results[0])
    entity_id = urlsplit(browser.current_url).path.rsplit("/", 1)[-1]
    assert urlsplit(browser.current_url).path == f"/entities/{entity_id}"
    assert browser.find_element(By.CSS_SELECTOR, "#entity-name").text == "ROBERT BOSCH G.M.B.H."
    expected = httpx.get(samples_site.url(f"/api/v1/entities/{entity_id}"), timeout=PAGE_SECONDS).json()
    assert len(rows(browser, "table#variants")) == len(expected["variants"]) == 1
    assert len(rows(browser, "table#publications")) == len(expected["publications"]) == 2
    publications = browser.find_element(By.CSS_SELECTOR, "table#publications").text
    assert "DE-1258188-B" in publications and "DE-1258189-B" in publications


def test_the_transfers_page_shows_the_flows_of_the_assignments(samples_site, browser):
    require_page(samples_site, "/transfers")
    query = {"all_pairs": "true", "by": "year"}  # the samples' assignments have no cross-border pair
    browser.get(samples_site.url("/transfers?all_pairs=true&by=year"))
    expected = httpx.get(samples_site.url("/api/v1/transfers/flows"), params=query, timeout=PAGE_SECONDS).json()["rows"]
    assert [(row["year"], row["transactions"]) for row in expected] == [(2006, 1), (2015, 28)]
    shown = rows(browser, "table#flows")
    assert len(shown) == 2
    assert [integer(row.text.split()[0]) for row in shown] == [2006, 2015]
    assert "28" in shown[1].text.split()
