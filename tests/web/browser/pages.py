"""What the browser tests do to pages, written once: fill a form whatever its widgets, wait for a
new page, read numbers as people read them, skip a page that has not landed yet."""

from __future__ import annotations

import json
import re
import time
from urllib.parse import parse_qsl, urlsplit

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.web.browser.server import PAGE_SECONDS, WAIT_SECONDS, Site

RELOAD_SECONDS = 1.5
"""How long after a field change a form that submits itself has surely sent its request."""
HAN = re.compile(r"[\u4e00-\u9fff]")
"""A Chinese character (CJK unified ideographs)."""


def require_page(site: Site, path: str, selector: str | None = None, browser: WebDriver | None = None) -> None:
    """Skip (with the reason) while ``path`` is not served yet (404), or, with ``selector``, while
    the page lacks the element its helper's branch adds: the test then runs by itself once that
    branch is merged into main."""
    if site.status(path) == 404:
        pytest.skip(f"{path} has not landed yet (404)")
    if selector and browser is not None:
        browser.get(site.url(path))
        if not browser.find_elements(By.CSS_SELECTOR, selector):
            pytest.skip(f"{path} has no {selector} yet (its branch has not landed)")


def fill(form: WebElement, name: str, value: str) -> bool:
    """Set the field ``name`` of ``form`` to ``value`` as a person would, whatever the widget: a
    text input (typed, then left with Tab, which fires its ``change``), a select (``value`` may
    list several, comma-separated, for a multiple select), checkboxes or radio buttons (those
    whose value is listed are ticked). Whether anything changed."""
    fields = form.find_elements(By.NAME, name)
    assert fields, f"form#{form.get_attribute('id')} has no field {name!r}"
    first = fields[0]
    wanted = [part.strip() for part in value.split(",")] if value else []
    if first.tag_name == "select":
        choice = Select(first)
        if sorted(option.get_attribute("value") for option in choice.all_selected_options) == sorted(wanted or [""]):
            return False
        if choice.is_multiple:
            choice.deselect_all()
            for item in wanted:
                choice.select_by_value(item)
        else:
            choice.select_by_value(value)
        return True
    if first.get_attribute("type") in ("checkbox", "radio"):
        boxes = [box for box in fields if (box.get_attribute("value") in wanted) != box.is_selected()]
        for box in boxes:
            box.click()
        return bool(boxes)
    if first.get_attribute("type") == "file" or first.get_attribute("value") == value:
        return False
    if first.get_attribute("type") == "date":  # typed dates follow the browser's locale: set the ISO value
        first.parent.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", first, value)
        return True
    first.clear()
    first.send_keys(value + Keys.TAB)
    return True


def change_filters(browser: WebDriver, form_selector: str, values: dict[str, str]) -> None:
    """Fill a filter form field by field, following the page when a change submits the form by
    itself (the dashboard's script does; without a script nothing reloads and the fields keep
    their values until the Apply button is pressed). Whether a change started a navigation is
    read from Chromium's network log at once, not guessed from how long a new page takes."""
    for name, value in values.items():
        page = browser.find_element(By.TAG_NAME, "html")
        browser.get_log("performance")  # forget earlier requests
        if not fill(browser.find_element(By.CSS_SELECTOR, form_selector), name, value):
            continue
        deadline = time.monotonic() + RELOAD_SECONDS
        while not _navigation_started(browser):
            if time.monotonic() > deadline:
                break  # no script: the change stays in the form
            time.sleep(0.05)  # a poll interval
        else:
            _wait_for_new_page(browser, page)


def _navigation_started(browser: WebDriver) -> bool:
    """Whether the browser has sent a request for a new page since the performance log was last read."""
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent" and message["params"].get("type") == "Document":
            return True
    return False


def _wait_for_new_page(browser: WebDriver, old_page: WebElement) -> None:
    # Chromium may answer a query about an element of the page being replaced with a generic error
    # ("Node with given id does not belong to the document") instead of a stale-element error
    WebDriverWait(browser, PAGE_SECONDS, ignored_exceptions=(WebDriverException,)).until(seen.staleness_of(old_page))
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda driver: driver.execute_script("return document.readyState") == "complete")


def submit_and_wait(browser: WebDriver, button: WebElement) -> None:
    """Click ``button`` and wait (bounded) until the page it leads to has replaced this one."""
    old = browser.find_element(By.TAG_NAME, "html")
    button.click()
    _wait_for_new_page(browser, old)


def query_of(url: str) -> dict[str, str]:
    """The query parameters of ``url`` (the last value of each, empty ones dropped)."""
    return {key: value for key, value in parse_qsl(urlsplit(url).query) if value}


def integer(text: str) -> int:
    """A count as a page prints it in either language: ``1,234`` / ``1 234`` / ``1234``."""
    digits = re.sub(r"[^\d]", "", text)
    assert digits, f"no number in {text!r}"
    return int(digits)


def rows(browser: WebDriver, table: str) -> list[WebElement]:
    """The body rows of ``table`` (a CSS selector)."""
    return browser.find_elements(By.CSS_SELECTOR, f"{table} tbody tr")


def document_statuses(browser: WebDriver) -> list[tuple[str, int]]:
    """``(url, HTTP status)`` of every page (document) the browser received since the last call:
    Chromium's performance log, the one place WebDriver reveals a status (a 403 page looks like
    any page otherwise)."""
    received = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.responseReceived" and message["params"].get("type") == "Document":
            response = message["params"]["response"]
            received.append((response["url"], int(response["status"])))
    return received
