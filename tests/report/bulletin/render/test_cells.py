"""Figures, names and texts as each language writes them: 46,000 and 4.6万 in sentences, full
figures in tables, signs on changes, intervals on survey estimates, a missing value said aloud."""

from __future__ import annotations

import pytest

from patentreach.report.bulletin.cells import EMPTY_CELL, Writer
from patentreach.report.bulletin.model import Column, Figure, Name, Ref, Text

FIGURES = [
    Figure("a.count", "a", 46_000, "documents", "Count", {}, "cmd"),
    Figure("a.big", "a", 123_456_789, "families", "Count", {}, "cmd"),
    Figure("a.yoy", "a", -3.25, "percent_change", "Count", {}, "cmd"),
    Figure("a.share", "a", 38.24, "percent", "Count", {}, "cmd", low=35.1, high=41.3),
    Figure("a.none", "a", None, "documents", "Count", {}, "cmd"),
    Figure("a.usd", "a", 1_250_000, "usd", "Count", {}, "cmd"),
]


@pytest.mark.parametrize(("lang", "ref", "expected"), [
    ("en", Ref("a.count"), "46,000"),
    ("zh", Ref("a.count"), "4.6\u4e07"),
    ("zh", Ref("a.count", compact=False), "46,000"),
    ("zh", Ref("a.big"), "1.23\u4ebf"),
    ("en", Ref("a.yoy"), "-3.2%"),  # round half even of the percentage, as present.formats writes it
    ("en", Ref("a.share"), "38.2%"),
    ("en", Ref("a.none"), "not available"),
    ("zh", Ref("a.none"), "\u6682\u65e0\u6570\u636e"),  # 暂无数据
    ("en", Ref("a.usd"), "US$1,250,000"),
    ("zh", Ref("a.usd"), "125\u4e07\u7f8e\u5143"),  # 125万美元
])
def test_a_figure_is_written_per_unit_and_language(lang: str, ref: Ref, expected: str) -> None:
    assert Writer(FIGURES, lang).text(ref) == expected


def test_texts_are_filled_recursively_with_figures_names_and_other_texts() -> None:
    text = Text("%(What)s obtained in %(where)s by %(who)s: %(count)s in %(year)s.", {
        "What": Text("granted invention patents"), "where": Name("office", "EP"),
        "who": Text("%(sector)s from %(origin)s", {"sector": Text("enterprises"), "origin": Name("country", "CN")}),
        "count": Ref("a.count"), "year": 2021,
    })
    assert Writer(FIGURES, "en").text(text) == (
        "granted invention patents obtained in European Patent Office by enterprises from China: 46,000 in 2021.")
    assert Writer(FIGURES, "zh").text(text) == (
        "2021\u5e74\uff0c\u4e2d\u56fd\u4f01\u4e1a\u5728\u6b27\u6d32\u4e13\u5229\u5c40\u83b7\u5f97"
        "\u53d1\u660e\u4e13\u5229\u6388\u67434.6\u4e07\u4ef6\u3002")
    # 2021年，中国企业在欧洲专利局获得发明专利授权4.6万件。


def test_table_cells_write_full_figures_intervals_and_a_dash_for_nothing() -> None:
    zh = Writer(FIGURES, "zh")
    assert zh.cell(Column("n", "Count", "figure"), Ref("a.count")) == "46,000"
    assert zh.cell(Column("n", "Count", "count"), 46_000) == "46,000"
    assert zh.cell(Column("o", "Office", "name:office"), "US") == "\u7f8e\u56fd"  # 美国
    assert zh.cell(Column("c", "Count", "percent_change"), 14.1) == "+14.1%"
    assert zh.cell(Column("n", "Count", "count"), None) == EMPTY_CELL
    assert zh.cell(Column("s", "Count", "figure"), Ref("a.share")) == "38.2%"  # the interval: its own columns
    assert Writer(FIGURES, "en").cell(Column("s", "Count", "interval"), Ref("a.share")) == "38.2% (35.1% to 41.3%)"
    assert zh.cell(Column("s", "Count", "interval"), Ref("a.share")) == "38.2%\uff0835.1%\u81f341.3%\uff09"
    # 38.2%（35.1%至41.3%）


def test_a_reference_to_a_figure_nobody_computed_is_an_error_naming_it() -> None:
    with pytest.raises(ValueError, match=r"'offices\.total\.2020'"):
        Writer(FIGURES, "en").text(Ref("offices.total.2020"))
    with pytest.raises(ValueError, match="unknown kind 'money'"):
        Writer(FIGURES, "en").cell(Column("m", "Count", "money"), 3)
