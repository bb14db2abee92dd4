"""The export-market repeat of the holder form over HTTP: instances added and removed with
JavaScript off (a submit button posting the page), the draft kept, the row stored with its wide
columns."""

from __future__ import annotations

import re

import pandas as pd

from patentreach.survey import fieldwork
from patentreach.survey.instrument.form import load_form
from patentreach.survey.instrument.pages import layout
from patentreach.survey.store import load_responses
from tests.web.survey.walk import answer_through_web, csrf_of, page_data

HOLDER = load_form("holder")
EXPORT_PAGE = layout(HOLDER).page_of("market_1_country")
PAGES = len(layout(HOLDER).pages)


def markets(answers: dict) -> list[str]:
    return [answers[f"market_{k}_country"] for k in range(1, 11) if answers[f"market_{k}_country"]]


def pick(answers: list[dict], count: int) -> int:
    """The first enterprise (from the 20th: the others serve other tests) naming ``count`` markets."""
    return next(k for k, a in enumerate(answers) if k >= 20 + count and len(markets(a)) == count)


def without_instances(answers: dict, keep: int) -> dict:
    """The answers with the market instances after ``keep`` left blank."""
    return {n: ("" if re.match(r"market_(\d+)_", n) and int(n.split("_")[1]) > keep else v)
            for n, v in answers.items()}


def walk_to_export_page(client, token: str, answers: dict) -> str:  # type: ignore[no-untyped-def]
    opened = client.get(f"/survey/{token}", params={"page": 0, "lang": "en"})
    csrf = csrf_of(opened)
    for page in range(EXPORT_PAGE):
        data = {**page_data(HOLDER, page, answers), "csrf_token": csrf, "action": "next"}
        assert client.post(f"/survey/{token}", data=data, follow_redirects=False).status_code == 303
    return csrf


def instances_on(html: str) -> list[int]:
    return sorted({int(k) for k in re.findall(r'name="market_(\d+)_share"', html)})


def test_add_another_market_with_javascript_off_then_submit(client, engine, tokens, demo_answers):
    k = pick(demo_answers, 2)
    token, answers = tokens[k], demo_answers[k]
    csrf = walk_to_export_page(client, token, answers)
    first_only = without_instances(answers, 1)
    page = client.get(f"/survey/{token}", params={"page": EXPORT_PAGE})
    assert instances_on(page.text) == [1]  # nothing answered yet: one blank instance
    assert 'value="add:market"' in page.text and "Add another: Export market" in page.text

    data = {**page_data(HOLDER, EXPORT_PAGE, first_only), "csrf_token": csrf, "action": "add:market"}
    added = client.post(f"/survey/{token}", data=data, follow_redirects=False)
    assert added.status_code == 303
    assert added.headers["location"] == f"/survey/{token}?page={EXPORT_PAGE}&shown.market=2#q-market_2_country"
    draft, _ = fieldwork.load_draft(engine, token)
    assert draft["market_1_country"] == answers["market_1_country"]  # the draft kept the first market
    assert draft["market_1_share"] == answers["market_1_share"]

    shown = client.get(added.headers["location"].split("#")[0])
    assert instances_on(shown.text) == [1, 2]
    assert "Export market 2" in shown.text and 'value="remove:market:2"' in shown.text
    assert re.search(rf'name="market_1_country" value="{answers["market_1_country"]}" checked', shown.text)
    assert 'name="shown.market" value="2"' in shown.text

    data = {**page_data(HOLDER, EXPORT_PAGE, answers), "csrf_token": csrf, "action": "next"}
    assert client.post(f"/survey/{token}", data=data, follow_redirects=False).status_code == 303
    for page in range(EXPORT_PAGE + 1, PAGES):
        action = "submit" if page == PAGES - 1 else "next"
        data = {**page_data(HOLDER, page, answers), "csrf_token": csrf, "action": action}
        last = client.post(f"/survey/{token}", data=data, follow_redirects=False)
        assert last.status_code == 303, last.text[:1000]
    assert last.headers["location"] == f"/survey/{token}/done"

    stored = load_responses(engine, "holder").set_index("enterprise_id").loc[answers["enterprise_id"]]
    for n in (1, 2):
        assert stored[f"market_{n}_country"] == answers[f"market_{n}_country"]
        assert float(stored[f"market_{n}_share"]) == float(answers[f"market_{n}_share"])
        assert stored[f"market_{n}_protected"] == answers[f"market_{n}_protected"]
    assert all(pd.isna(stored[f"market_3_{q}"]) for q in ("country", "share", "protected"))
    printed = client.get(f"/survey/{token}/print", params={"lang": "en"}).text
    assert 'data-field="market_2_share"' in printed and "Export market 2: Share of the enterprise" in printed
    assert 'data-field="market_3_share"' not in printed  # a blank instance is absent from the copy


def test_remove_moves_the_later_markets_up(client, engine, tokens, demo_answers):
    k = pick(demo_answers, 3)
    token, answers = tokens[k], demo_answers[k]
    csrf = walk_to_export_page(client, token, answers)
    data = {**page_data(HOLDER, EXPORT_PAGE, answers), "csrf_token": csrf, "shown.market": "3",
            "action": "remove:market:1"}
    removed = client.post(f"/survey/{token}", data=data, follow_redirects=False)
    assert removed.status_code == 303
    assert "shown.market=2" in removed.headers["location"]
    draft, _ = fieldwork.load_draft(engine, token)
    assert [draft[f"market_{n}_country"] for n in (1, 2, 3)] == [*markets(answers)[1:], ""]
    assert draft["market_1_share"] == answers["market_2_share"]
    page = client.get(removed.headers["location"].split("#")[0])
    assert instances_on(page.text) == [1, 2]


def test_the_repeat_reads_in_chinese(client, tokens, demo_answers):
    k = pick(demo_answers, 4)
    token = tokens[k]
    walk_to_export_page(client, token, demo_answers[k])
    page = client.get(f"/survey/{token}", params={"page": EXPORT_PAGE, "lang": "zh"})
    assert "出口市场1" in page.text and "再添加一个出口市场" in page.text and "删除出口市场1" in page.text
    assert "国家或地区" in page.text


def test_a_share_over_100_in_the_second_market_is_refused_by_name(client, tokens, demo_answers):
    k = pick(demo_answers, 2) + 1
    k = next(j for j in range(k, len(demo_answers)) if len(markets(demo_answers[j])) >= 2)
    answers = {**demo_answers[k], "market_2_share": "140"}
    refused = answer_through_web(client, tokens[k], answers, one_post=True)
    assert refused.status_code == 422
    assert re.search(r'id="issue-market_2_share" role="alert">[^<]+<', refused.text)
    assert "Export market 2" in refused.text or "出口市场2" in refused.text


def test_enter_in_a_field_still_means_next_page_not_remove(client, tokens, demo_answers):
    k = pick(demo_answers, 2) + 2
    page = client.get(f"/survey/{tokens[k]}", params={"page": EXPORT_PAGE, "lang": "en"})
    form = page.text[page.text.index('<form id="survey-form"'):]
    first = re.search(r'<button type="submit" name="action" value="([^"]+)"', form)
    assert first.group(1) == "next"  # the form's default button (implicit submission) comes first
    assert form.index('value="remove:market:1"') > first.start()
