"""The hand-written ODK XPath subset: XPath 1.0 comparison rules, the functions forms use, and a
clear refusal of everything else (no Python is ever evaluated)."""

from __future__ import annotations

import numpy as np
import pytest

from patentreach.survey.xpath_subset import Context, XPathError, evaluate_row, parse


@pytest.mark.parametrize(
    ("expression", "answers", "expected"),
    [
        (". >= 0", {"x": "3"}, True),
        (". >= 0", {"x": "-1"}, False),
        (". >= 0", {"x": ""}, False),  # empty is NaN: every numeric comparison is false
        (". > 0 and . <= 100", {"x": "100"}, True),
        (". > 0 and . <= 100", {"x": "100.5"}, False),
        ("${q} = 'yes'", {"q": "yes"}, True),
        ("${q} = 'yes'", {"q": ""}, False),
        ("${q} != 'yes'", {"q": ""}, True),
        ("${a} = 'some' or ${a} = 'none'", {"a": "none"}, True),
        ("selected(${m}, 'de')", {"m": "us de jp"}, True),
        ("selected(${m}, 'd')", {"m": "us de jp"}, False),
        ("count-selected(${m})", {"m": "us de jp"}, 3.0),
        ("not(selected(., 'none') and count-selected(.) > 1)", {"x": "none"}, True),
        ("not(selected(., 'none') and count-selected(.) > 1)", {"x": "none litigation"}, False),
        (". <= ${employees}", {"x": "12", "employees": "9"}, False),
        (". + ${a} + ${b} >= 1", {"x": "0", "a": "0", "b": "1"}, True),
        ("2 + 3 * 4 - -1", {}, 15.0),
        ("7 mod 3", {}, 1.0),
        ("7 div 2", {}, 3.5),
        ("string-length('专利')", {}, 2.0),
        ("regex(., '^E[0-9]{6}$')", {"x": "E000123"}, True),
        ("regex(., '^E[0-9]{6}$')", {"x": "E00123"}, False),
        ("if(${q} = 'yes', 'A', 'B')", {"q": "no"}, "B"),
        ("concat('a', 1, true())", {}, "a1true"),
        ("coalesce(${a}, 'x')", {"a": ""}, "x"),
        ("number('12.5') = 12.5", {}, True),
        ("'10' = 10.0", {}, True),  # a number on either side: compared as numbers
        ("'10' = '10.0'", {}, False),  # two strings: compared as strings
        ("true() = 'anything'", {}, True),  # a boolean on either side: compared as booleans
    ],
)
def test_expression_values_follow_xpath_1(expression, answers, expected):
    current = "x" if "x" in answers else None
    assert evaluate_row(expression, answers, current) == expected


def test_evaluation_is_vectorised_over_a_column_of_answers():
    ctx = Context({"x": np.array(["5", "", "-2", "abc"], dtype=object)}, 4, current="x")
    assert parse(". >= 0").truth(ctx).tolist() == [True, False, False, False]


def test_a_choice_filter_reads_choice_columns_as_bare_names():
    ctx = Context({"m": np.array(["us de", "jp"], dtype=object)}, 2)
    expression = parse("selected(${m}, name)")
    assert expression.truth(ctx.for_choice({"name": "de"})).tolist() == [True, False]
    assert expression.choice_columns == {"name"}
    assert expression.references == {"m"}


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("__import__('os').system('true')", "function __import__"),
        ("today()", r"function today\(\) .* not in the supported subset"),
        ("/data/x = 1", "unexpected character '/'"),
        ("${a} = ", "unexpected 'end'"),
        ("(1 + 2", r"expected '\)'"),
        ("selected(${a})", r"selected\(\) takes 2-2 arguments"),
        ("${a}[1]", r"unexpected character '\['"),
    ],
)
def test_anything_outside_the_subset_is_refused_with_the_reason(expression, message):
    with pytest.raises(XPathError, match=message):
        parse(expression)


def test_a_bare_name_outside_a_choice_filter_is_an_error_when_evaluated():
    with pytest.raises(XPathError, match="only allowed in a choice_filter"):
        evaluate_row("name = 'x'", {})
