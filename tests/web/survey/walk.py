"""Answering a questionnaire the way a respondent's browser does with JavaScript off: open the
link, post each page's answers with the Next button, submit on the last page. Used by the web form
tests and by the whole-survey test (a few hundred answers submitted over HTTP)."""

from __future__ import annotations

import re
from collections.abc import Mapping

import httpx

from patentreach.survey.instrument.form import Form, load_form
from patentreach.survey.instrument.pages import layout

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(page: httpx.Response) -> str:
    """The CSRF token a rendered survey page carries (the session's)."""
    found = CSRF.search(page.text)
    assert found, f"no csrf_token on the page ({page.status_code}): {page.text[:300]}"
    return found.group(1)


def page_data(form: Form, page: int, answers: Mapping[str, str]) -> dict[str, object]:
    """The fields the browser posts for ``page``: every answered question of the page, a
    multiple choice as one value per ticked box."""
    data: dict[str, object] = {"page": str(page)}
    for name in layout(form).pages[page].answer_names:
        value = str(answers.get(name, "") or "")
        if not value:
            continue
        data[name] = value.split() if form.field(name).type == "select_multiple" else value
    return data


def answer_through_web(client: httpx.Client, token: str, answers: Mapping[str, str],
                       form: Form | str = "holder", one_post: bool = False) -> httpx.Response:
    """Walk ``/survey/{token}`` page by page with ``answers`` (strings as typed, ``""`` for
    none) and submit. Returns the last response: the 303 to ``/survey/{token}/done`` when it was
    accepted, else the page that refused (422 with its problems, 409, 410 ...).

    ``one_post``: open the link, then post every answer with Submit at once (the server takes any
    of the form's questions from a post): one validation instead of one per page, for tests that
    submit hundreds (a page post costs about 0.1 s: the response import's check of the row)."""
    form = form if isinstance(form, Form) else load_form(form)
    url = f"/survey/{token}"
    opened = client.get(url, params={"page": 0})
    if opened.status_code != 200:
        return opened
    csrf = csrf_of(opened)
    count = len(layout(form).pages)
    if one_post:
        data = {"csrf_token": csrf, "action": "submit", "page": str(count - 1)}
        for page in range(count):
            data.update({k: v for k, v in page_data(form, page, answers).items() if k != "page"})
        return client.post(url, data=data, follow_redirects=False)
    response = opened
    for page in range(count):
        action = "submit" if page == count - 1 else "next"
        data = {**page_data(form, page, answers), "csrf_token": csrf, "action": action}
        response = client.post(url, data=data, follow_redirects=False)
        if response.status_code != 303:
            return response
    return response
