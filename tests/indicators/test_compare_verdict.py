"""The verdict thresholds of ``stats compare`` (compare_verdict.py), on constructed totals: the
samples only ever give "cannot reproduce", so the other three outcomes are pinned here."""

from __future__ import annotations

from patentreach.indicators.compare_verdict import Slice, verdict


def _slice(warehouse: float, held: float, with_data=None, without: float = 0) -> Slice:
    with_data = [("US", warehouse, 1000)] if with_data is None else with_data
    return Slice(what="CN-origin invention grants of 2021", year=2021, measure="grants", offices=1,
                 with_data=with_data, published=1000, warehouse=warehouse, held=held, without_origin=without)


def test_within_5_percent_reproduces() -> None:
    decided = verdict(_slice(960, 5000))
    assert decided.kind == "reproduces"
    assert decided.sentence == ("The warehouse reproduces the published figure within 5%: 960 vs 1,000 CN-origin "
                                "invention grants of 2021 (-4.0%).")


def test_within_25_percent_is_close() -> None:
    decided = verdict(_slice(1200, 5000))
    assert decided.kind == "close" and "(+20.0%)" in decided.sentence


def test_further_off_differs() -> None:
    decided = verdict(_slice(600, 5000))
    assert decided.kind == "differs"
    assert decided.sentence.endswith("(-40.0%); the definitions differ as stated above.")


def test_below_half_with_most_documents_lacking_an_origin_says_so() -> None:
    decided = verdict(_slice(300, 5000, without=4000))
    assert decided.kind == "cannot_reproduce"
    assert decided.sentence.endswith("Why: 4,000 of the 5,000 grants of 2021 it holds there (80%) have no origin "
                                     "country, so they count for no origin.")


def test_no_office_with_data_cannot_reproduce() -> None:
    decided = verdict(_slice(0, 0, with_data=[]))
    assert decided.sentence == ("The warehouse cannot reproduce the published figure: it holds no grants of 2021 for "
                                "any of the 1 offices; it counts 0 CN-origin invention grants of 2021 against 1,000 "
                                "published (0.0%). Why: this is not the full data for that year.")
