"""Allocation of the sample among strata, checked against values computed by hand."""

from __future__ import annotations

import pytest

from patentreach.survey.allocation import AllocationError, allocate

N = {"A": 1000, "B": 2000, "C": 500}
S = {"A": 10.0, "B": 5.0, "C": 40.0}


def test_neyman_allocation_matches_hand_computed_shares():
    # N_h S_h = 10000, 10000, 20000 (sum 40000): n_h = 100 * (1/4, 1/4, 1/2)
    assert allocate(N, 100, "neyman", S) == {"A": 25, "B": 25, "C": 50}


def test_neyman_allocation_rounds_by_largest_remainder():
    # shares 70 * (1/4, 1/4, 1/2) = 17.5, 17.5, 35: one unit left, tie broken by stratum order
    assert allocate(N, 70, "neyman", S) == {"A": 18, "B": 17, "C": 35}


def test_proportional_allocation_matches_hand_computed_shares():
    # 100 * (1000, 2000, 500) / 3500 = 28.571, 57.143, 14.286 -> floors 28, 57, 14 (99);
    # the largest remainder (A, .571) gets the last unit
    assert allocate(N, 100) == {"A": 29, "B": 57, "C": 14}


def test_minimum_per_stratum_is_fixed_first_and_the_rest_reshared():
    # C's proportional share 14.3 < 20: C = 20; A, B share 80 as 26.667, 53.333 -> 27, 53
    assert allocate(N, 100, minimum=20) == {"A": 27, "B": 53, "C": 20}


def test_neyman_minimum_applies_to_strata_without_variation():
    sd = {"A": 10.0, "B": 0.0, "C": 40.0}
    # B gets nothing from Neyman (S = 0) so takes the minimum 5; A, C share 95 as 1:2
    assert allocate(N, 100, "neyman", sd, minimum=5) == {"A": 32, "B": 5, "C": 63}


def test_a_stratum_whose_share_exceeds_its_size_is_taken_completely():
    # N_h S_h = 10000, 2000: A's share 166.7 > 100, so A is take-all and B gets the other 100
    assert allocate({"A": 100, "B": 2000}, 200, "neyman", {"A": 100.0, "B": 1.0}) == {
        "A": 100,
        "B": 100,
    }


def test_minimum_never_exceeds_a_small_stratum():
    assert allocate({"A": 3, "B": 997}, 100, minimum=10) == {"A": 3, "B": 97}


@pytest.mark.parametrize("n", [0, 1, 7, 100, 333, 3500])
def test_allocation_always_adds_up_and_respects_stratum_sizes(n):
    for method in ("proportional", "neyman"):
        sizes = allocate(N, n, method, S)
        assert sum(sizes.values()) == n
        assert all(0 <= sizes[h] <= N[h] for h in N)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 4000}, "between 0 and the frame size 3500"),
        ({"n": 50, "minimum": 20}, "needs 60 units, more than the sample size 50"),
        ({"n": 50, "method": "neyman"}, "needs a standard deviation"),
        ({"n": 50, "method": "optimal"}, "unknown allocation method"),
    ],
)
def test_impossible_allocations_are_refused_with_the_reason(kwargs, message):
    with pytest.raises(AllocationError, match=message):
        allocate(N, **kwargs)
