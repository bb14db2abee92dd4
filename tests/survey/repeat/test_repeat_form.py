"""Repeat groups in the form model: wide columns per instance, expressions read in the instance,
bounds, and one-line errors naming the survey row."""

from __future__ import annotations

import numpy as np
import pytest

from patentreach.survey.instrument.form import MAX_INSTANCES, FormError, load_form, to_xform
from patentreach.survey.xpath_subset import Context, XPathError, parse, rewrite
from tests.survey.repeat.forms import MARKETS, row, workbook


@pytest.fixture(scope="module")
def form(tmp_path_factory):  # type: ignore[no-untyped-def]
    return load_form(workbook(tmp_path_factory.mktemp("repeat-form"), MARKETS))


def test_each_instance_is_a_set_of_wide_columns_in_form_order(form):
    names = [f.name for f in form.answers]
    assert names[:2] == ["enterprise_id", "exports"]
    assert names[2:8] == ["market_1_country", "market_1_share", "market_1_protected",
                          "market_2_country", "market_2_share", "market_2_protected"]
    assert names[-2:] == ["market_10_protected", "n_markets"]
    assert len(names) == 2 + 3 * MAX_INSTANCES + 1
    repeat = form.repeat("market")
    assert (repeat.instances, repeat.questions, repeat.sheet_row) == (10, ("country", "share", "protected"), 4)
    assert repeat.columns(3) == ("market_3_country", "market_3_share", "market_3_protected")


def test_an_instance_field_knows_its_repeat_and_reads_its_own_instance(form):
    protected = form.field("market_2_protected")
    assert (protected.repeat.repeat, protected.repeat.index, protected.repeat.question) == ("market", 2, "protected")
    assert [e.text for e in protected.relevant] == ["${exports} = 'yes'", "${market_2_country} != 'other'"]
    assert protected.groups == ("market",)
    assert protected.sheet_row == 7


def test_labels_name_the_instance_in_both_languages(form):
    share = form.field("market_2_share")
    assert share.label("en") == "Export market 2: Share of exports (%)"
    assert share.label("zh") == "出口市场2：占出口比重（%）"
    assert share.question_label("en") == "Share of exports (%)"


def test_required_holds_only_in_an_answered_instance(form):
    share = form.field("market_3_share")
    assert share.required_cell == "yes"
    blank = {f.name: np.array([""], dtype=object) for f in form.answers}
    assert not parse(share.required).truth(Context(blank, 1))[0]
    ctx = Context({**blank, "market_3_country": np.array(["us"], dtype=object)}, 1)
    assert parse(share.required).truth(ctx)[0]


def test_count_of_a_repeat_counts_the_answered_instances(form):
    constraint = form.field("n_markets").constraint
    assert constraint.text == ". = count(${market})"
    answers = {f.name: np.array(["", "", ""], dtype=object) for f in form.answers}
    answers["market_1_country"] = np.array(["us", "us", ""], dtype=object)
    answers["market_4_share"] = np.array(["5", "", ""], dtype=object)
    answers["n_markets"] = np.array(["2", "2", "0"], dtype=object)
    assert constraint.truth(Context(answers, 3, current="n_markets")).tolist() == [True, False, True]


def test_rewrite_puts_the_instance_and_position_in_and_spells_out_count():
    readable, full = rewrite("${share} > position(..) and count(${m}) < 3 and '${share}' = ''",
                             {"share": "m_2_share"}, 2, {"m": "(9)"}, {})
    assert readable == "${m_2_share} > 2 and count(${m}) < 3 and '${share}' = ''"
    assert full == "${m_2_share} > 2 and (9) < 3 and '${share}' = ''"
    with pytest.raises(XPathError, match="only meaningful inside a repeat"):
        rewrite("position(..) > 1", {}, None, {}, {})
    with pytest.raises(XPathError, match="'x' is not one"):
        rewrite("count(${x}) > 1", {}, None, {"m": "(1)"}, {})


def test_repeat_count_as_a_number_bounds_the_instances(tmp_path):
    survey = [row("begin_repeat", "r", "R", "R", repeat_count="3"), row("integer", "x", "X", "X"), row("end_repeat")]
    form = load_form(workbook(tmp_path, survey))
    assert [f.name for f in form.answers] == ["r_1_x", "r_2_x", "r_3_x"]


def test_repeat_count_as_an_expression_asks_that_many(tmp_path):
    survey = [row("integer", "n", "N", "N"),
              row("begin_repeat", "r", "R", "R", repeat_count="${n}"), row("integer", "x", "X", "X"),
              row("end_repeat")]
    form = load_form(workbook(tmp_path, survey))
    assert len(form.answers) == 1 + MAX_INSTANCES
    assert [e.text for e in form.field("r_3_x").relevant] == ["${n} >= 3"]


BAD = {
    "unclosed": ([row("text", "a", "A", "A"), row("begin_repeat", "market", "M", "M"), row("integer", "x", "X", "X")],
                 r"^survey row 3 \(market\): repeat 'market' is never closed \(no end_repeat\)$"),
    "nested": ([row("begin_repeat", "market", "M", "M"), row("integer", "x", "X", "X"),
                row("begin_repeat", "product", "P", "P"), row("integer", "y", "Y", "Y"), row("end_repeat"),
                row("end_repeat")],
               r"^survey row 4 \(product\): repeat 'product' inside repeat 'market': repeats nest one level deep"),
    "over the bound": ([row("begin_repeat", "market", "M", "M", repeat_count="12"), row("integer", "x", "X", "X"),
                        row("end_repeat")],
                       r"^survey row 2 \(market\): repeat_count 12 is outside 1-10"),
    "end without begin": ([row("integer", "x", "X", "X"), row("end_repeat")],
                          r"^survey row 3 \(\): end_repeat without begin_repeat$"),
    "group closed inside": ([row("begin_group", "g", "G", "G"), row("begin_repeat", "market", "M", "M"),
                             row("integer", "x", "X", "X"), row("end_group"), row("end_repeat")],
                            r"^survey row 5 \(\): end_group inside repeat 'market'"),
    "read from outside": ([row("begin_repeat", "market", "M", "M"), row("integer", "x", "X", "X"), row("end_repeat"),
                           row("integer", "y", "Y", "Y", relevant="${x} > 1")],
                          r"^survey row 5 \(y\): \$\{x\} in '\$\{x\} > 1' is a question of repeat 'market'"),
    "position outside": ([row("integer", "y", "Y", "Y", constraint=". > position(..)")],
                         r"^survey row 2 \(y\): position\(\.\.\) in '\. > position\(\.\.\)' is only meaningful"),
    "no question": ([row("begin_repeat", "market", "M", "M"), row("note", "n", "N", "N"), row("end_repeat")],
                    r"^survey row 2 \(market\): repeat 'market' has no question$"),
    "column clash": ([row("integer", "market_1_x", "A", "A"), row("begin_repeat", "market", "M", "M"),
                      row("integer", "x", "X", "X"), row("end_repeat")],
                     r"^survey row 4 \(x\): the column market_1_x of repeat 'market' is also the name of the field "
                     r"on survey row 2$"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_repeat_is_one_line_naming_the_row(tmp_path, case):
    survey, message = BAD[case]
    with pytest.raises(FormError, match=message) as caught:
        load_form(workbook(tmp_path, survey))
    assert "\n" not in str(caught.value)


def test_the_bundled_holder_form_asks_the_export_markets_one_by_one():
    form = load_form("holder")
    assert form.version == "2021.3"
    repeat = form.repeat("market")
    assert (repeat.instances, repeat.questions) == (10, ("country", "share", "protected"))
    country = form.field("market_1_country")
    assert country.groups == ("export", "export_detail", "market")
    assert [e.text for e in country.relevant] == ["${exports} = 'yes'"]
    assert country.choice_filter.text == "selected(${export_markets}, name)"
    assert country.list_name == "country" and country.label("zh") == "出口市场1：国家或地区"
    assert form.field("market_10_share").constraint.text == ". > 0 and . <= 100"
    xform = to_xform("holder")  # ODK's converter accepts it as a repeat
    assert '<repeat nodeset="/data/export/export_detail/market">' in xform
