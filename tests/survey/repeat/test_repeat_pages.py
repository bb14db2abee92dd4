"""The page model's repeat work: how many instances a page shows, "remove" moving the later
instances up, and the buttons' actions."""

from __future__ import annotations

import pytest

from patentreach.survey.instrument import pages
from patentreach.survey.instrument.form import load_form
from tests.survey.repeat.forms import MARKETS, workbook


@pytest.fixture(scope="module")
def form(tmp_path_factory):  # type: ignore[no-untyped-def]
    return load_form(workbook(tmp_path_factory.mktemp("repeat-pages"), MARKETS))


def test_a_page_shows_every_answered_instance_at_least_one_and_those_asked_for(form):
    assert pages.instances_shown(form, {}, {}) == {"market": 1}
    answers = {"market_3_share": "10"}
    assert pages.answered_instances(form, answers, "market") == [3]
    assert pages.instances_shown(form, answers, {}) == {"market": 3}
    assert pages.instances_shown(form, answers, {"shown.market": "5"}) == {"market": 5}
    assert pages.instances_shown(form, answers, {"shown.market": "99"}) == {"market": 10}  # the bound
    assert pages.instances_shown(form, answers, {"shown.market": "x"}) == {"market": 3}


def test_remove_moves_the_later_instances_up_and_blanks_the_last(form):
    answers = {"exports": "yes", "market_1_country": "us", "market_1_share": "50",
               "market_2_country": "de", "market_2_share": "30", "market_3_country": "other", "market_3_share": "20",
               "market_10_country": "us", "market_10_share": "1"}
    out = pages.remove_instance(form, answers, "market", 2)
    assert (out["market_1_country"], out["market_2_country"], out["market_3_country"]) == ("us", "other", "")
    assert (out["market_2_share"], out["market_9_country"], out["market_10_country"]) == ("20", "us", "")
    assert out["exports"] == "yes"


@pytest.mark.parametrize(("action", "step"), [
    ("add:market", ("add", "market", 0)), ("remove:market:3", ("remove", "market", 3)),
    ("remove:market:11", None), ("remove:other:1", None), ("add:", None), ("next", None)])
def test_the_buttons_actions(form, action, step):
    assert pages.repeat_action(form, action) == step


def test_relevance_of_an_instance_follows_the_answers(form):
    state = pages.evaluate(form, {"exports": "yes", "market_2_country": "other"})
    assert state.relevant["market_2_country"] and not state.relevant["market_2_protected"]
    assert state.relevant["market_1_protected"]
    assert not pages.evaluate(form, {"exports": "no"}).relevant["market_1_country"]
