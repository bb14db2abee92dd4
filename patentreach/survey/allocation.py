"""Share a total sample size among strata: proportional or Neyman, with a minimum per stratum and
take-all strata, in whole numbers that add up exactly.

* proportional: ``n_h = n N_h / N``;
* Neyman: ``n_h = n N_h S_h / sum_k N_k S_k`` - the allocation that minimises the variance of the
  estimated total of the variable whose stratum standard deviations are ``S_h`` (here the number
  of patents held, which is very skewed: large enterprises get far more than their share);
* ``minimum``: no stratum below ``min(minimum, N_h)`` (two units are needed for a variance, and
  small strata are published on their own);
* a stratum whose share exceeds ``N_h`` is taken completely (take-all), as large enterprises
  usually are.

Fixing a stratum at its cap or its minimum changes everybody else's share, so the rule is applied
iteratively: fix take-all strata, then under-minimum strata, re-share what is left among the rest,
until nothing changes. Rounding is by largest remainder (Hamilton), ties broken by stratum order,
so the result adds up to ``n`` exactly and is reproducible.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

Method = Literal["proportional", "neyman"]


class AllocationError(ValueError):
    """The requested allocation is impossible (n larger than the frame, minimums above n...)."""


def _shares(
    free: list[str], population: Mapping[str, int], sd: Mapping[str, float] | None, n_free: int
) -> dict[str, float]:
    weights = {h: population[h] * (sd[h] if sd is not None else 1.0) for h in free}
    total = sum(weights.values())
    if total <= 0:  # Neyman with no variation left: fall back to proportional
        weights = {h: float(population[h]) for h in free}
        total = sum(weights.values())
    return {h: n_free * weights[h] / total for h in free}


def allocate(
    population: Mapping[str, int],
    n: int,
    method: Method = "proportional",
    sd: Mapping[str, float] | None = None,
    minimum: int = 0,
) -> dict[str, int]:
    """Sample size per stratum, keyed like ``population`` (``{stratum: N_h}``).

    ``sd`` (``{stratum: S_h}``) is required for ``method="neyman"``.
    """
    strata = sorted(population)
    total = sum(population.values())
    if any(population[h] < 0 for h in strata):
        raise AllocationError("stratum sizes must not be negative")
    if not 0 <= n <= total:
        raise AllocationError(f"sample size {n} must be between 0 and the frame size {total}")
    if method == "neyman":
        if sd is None or any(h not in sd for h in strata):
            raise AllocationError("Neyman allocation needs a standard deviation for every stratum")
        if any(sd[h] < 0 or math.isnan(sd[h]) for h in strata):
            raise AllocationError("standard deviations must be non-negative numbers")
    elif method != "proportional":
        raise AllocationError(f"unknown allocation method {method!r} (proportional, neyman)")
    floor_of = {h: min(minimum, population[h]) for h in strata}
    if sum(floor_of.values()) > n:
        raise AllocationError(
            f"a minimum of {minimum} per stratum needs {sum(floor_of.values())} units, more than the sample size {n}"
        )
    weights_sd = sd if method == "neyman" else None
    fixed: dict[str, int] = {h: 0 for h in strata if population[h] == 0}
    while True:
        free = [h for h in strata if h not in fixed]
        n_free = n - sum(fixed.values())
        if not free:
            break
        ideal = _shares(free, population, weights_sd, n_free)
        over = [h for h in free if ideal[h] > population[h]]
        if over:
            fixed.update({h: population[h] for h in over})
            continue
        under = [h for h in free if ideal[h] < floor_of[h]]
        if under:
            fixed.update({h: floor_of[h] for h in under})
            continue
        break
    result = dict(fixed)
    if free:
        result.update({h: math.floor(ideal[h]) for h in free})
        left = n - sum(result.values())
        by_remainder = sorted(free, key=lambda h: (-(ideal[h] - math.floor(ideal[h])), strata.index(h)))
        for h in by_remainder[:left]:
            result[h] += 1
    return {h: result[h] for h in population}
