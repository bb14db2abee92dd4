"""Collapsing rules of the weighting classes, on small hand-checked cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from patentreach.survey.weighting_classes import adjust_classes, replicate_factors


def _classes(spec: dict[str, tuple[int, int]]) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """{label: (sampled, respondents)} -> labels, unit weights 1, respondent flags."""
    labels, responded = [], []
    for label, (sampled, respondents) in spec.items():
        labels += [label] * sampled
        responded += [True] * respondents + [False] * (sampled - respondents)
    return pd.Series(labels), np.ones(len(labels)), np.array(responded)


def test_a_stratum_joins_the_stratum_sharing_its_leading_part() -> None:
    labels, w, r = _classes({"micro|west": (4, 1), "micro|east": (10, 5), "small|west": (50, 40)})
    result = adjust_classes(labels, w, r)
    (merge,) = result.collapsed
    assert (merge.cell, merge.into) == ("micro|west", "micro|east")
    assert merge.reason == "1 respondent(s), fewer than 3"
    micro = labels.str.startswith("micro").to_numpy()
    np.testing.assert_allclose(result.factors[micro], 14 / 6)
    np.testing.assert_allclose(result.factors[~micro], 50 / 40)


def test_ordinal_classes_join_an_adjacent_class() -> None:
    spec = {"q1": (60, 50), "q2": (10, 6), "q3": (10, 1), "q4": (10, 8), "q5": (10, 9)}
    labels, w, r = _classes(spec)
    ordinal = adjust_classes(labels, w, r, ordinal=True)
    assert [(c.cell, c.into) for c in ordinal.collapsed] == [("q3", "q4")]
    nominal = adjust_classes(labels, w, r)
    assert [(c.cell, c.into) for c in nominal.collapsed] == [("q3", "q1")]
    q34 = labels.isin(["q3", "q4"]).to_numpy()
    np.testing.assert_allclose(ordinal.factors[q34], 20 / 9)


def test_one_class_left_keeps_its_factor_and_none_responding_fails() -> None:
    labels, w, r = _classes({"a": (10, 2), "b": (10, 0)})
    result = adjust_classes(labels, w, r)
    assert [(c.cell, c.into, c.reason) for c in result.collapsed] == [("b", "a", "no respondents")]
    np.testing.assert_allclose(result.factors, 10.0)  # 20 / 2, above the limit: nothing left to merge
    labels, w, r = _classes({"a": (3, 0)})
    with pytest.raises(ValueError, match="no unit of the sample responded"):
        adjust_classes(labels, w, r)


def test_replicate_factors_are_computed_column_by_column() -> None:
    codes = np.array([0, 0, 1, 1])
    responded = np.array([True, False, True, False])
    reps = np.array([[1.0, 0.0], [1.0, 2.0], [2.0, 1.0], [2.0, 1.0]])
    factors, empty = replicate_factors(codes, 2, reps, responded)
    np.testing.assert_allclose(factors, [[2.0, 0.0], [2.0, 0.0], [2.0, 2.0], [2.0, 2.0]])
    assert empty == 1  # class 0 in replicate 2: its only respondent has weight 0
