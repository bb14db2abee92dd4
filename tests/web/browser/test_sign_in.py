"""Signing in and out in a real browser, a wrong password, and a forged form refused.

The analyst is created the way an administrator would, with ``patentreach users add``
(conftest ``signed_up``); these tests skip while that command or ``/login`` has not landed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from selenium.webdriver.common.by import By

from tests.web.browser.pages import document_statuses, require_page, submit_and_wait


def _sign_in(browser, site, name: str, password: str, path: str = "/login") -> None:  # type: ignore[no-untyped-def]
    browser.get(site.url(path))
    form = browser.find_element(By.CSS_SELECTOR, "form#login-form")
    form.find_element(By.NAME, "username").send_keys(name)
    form.find_element(By.NAME, "password").send_keys(password)
    submit_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#login-submit"))


def test_signing_in_shows_the_name_and_signing_out_forgets_it(site, signed_up, browser):
    require_page(site, "/login")
    name, password = signed_up
    _sign_in(browser, site, name, password)
    assert browser.find_element(By.CSS_SELECTOR, "#user-name").text == name
    assert not browser.find_elements(By.CSS_SELECTOR, "#login-link")
    assert not browser.find_elements(By.CSS_SELECTOR, "#login-error")

    logout = browser.find_element(By.CSS_SELECTOR, "#logout-form")
    submit_and_wait(browser, logout.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert not browser.find_elements(By.CSS_SELECTOR, "#user-name")
    assert browser.find_element(By.CSS_SELECTOR, "#login-link").is_displayed()
    if site.status("/protect") != 404:  # signed out for real: the upload page asks to sign in again
        browser.get(site.url("/protect"))
        assert urlsplit(browser.current_url).path == "/login"


def test_a_wrong_password_is_refused_with_a_message(site, signed_up, browser):
    require_page(site, "/login")
    name, _ = signed_up
    _sign_in(browser, site, name, "not the password")
    assert browser.find_element(By.CSS_SELECTOR, "#login-error").text
    assert not browser.find_elements(By.CSS_SELECTOR, "#user-name")
    assert urlsplit(browser.current_url).path == "/login"


def test_a_form_with_a_forged_csrf_token_is_refused_403(site, signed_up, browser):
    require_page(site, "/login")
    name, password = signed_up
    browser.get(site.url("/login"))
    browser.execute_script(
        "document.querySelector('form#login-form input[name=csrf_token]').value = 'forged-by-another-site';")
    form = browser.find_element(By.CSS_SELECTOR, "form#login-form")
    form.find_element(By.NAME, "username").send_keys(name)
    form.find_element(By.NAME, "password").send_keys(password)
    document_statuses(browser)  # forget the page loads so far
    submit_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#login-submit"))
    statuses = document_statuses(browser)
    assert [status for url, status in statuses if urlsplit(url).path == "/login"] == [403]
    assert "403" in browser.title
    assert not browser.find_elements(By.CSS_SELECTOR, "#user-name")  # and nobody got signed in
