"""Weighting-class non-response adjustment with the collapsing rules a survey team needs.

:func:`patentreach.survey.weights.nonresponse_adjust` refuses a class without respondents; a
production run cannot stop there. Here such a class - or one with fewer than
``min_class_respondents`` respondents, or whose factor (weighted sampled / weighted respondents)
exceeds ``max_factor`` - is merged into its nearest neighbour, one class at a time, worst first,
until every class passes. *Nearest* means the class that shares the most leading components of
the class key (the values of the class variables in order, and a stratum label such as
``small|east`` split at ``|``), so ``small|east`` joins another ``small|...`` stratum and
``H:No`` joins ``H:Yes``; among equally near classes the one with most respondents wins. Every
merge is recorded with its reason for the diagnostics.

The factors are computed once on the full-sample design weights; :func:`replicate_factors`
applies the same (collapsed) classes to each replicate column, so that replicate weights carry
the adjustment's variance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from patentreach.survey.grouping import Grouping
from patentreach.survey.weights import WeightingError


@dataclass(frozen=True)
class Collapse:
    """One merge: ``cell`` (a class, or an already merged group) went into ``into``, because ..."""

    cell: str
    into: str
    reason: str


@dataclass
class ClassAdjustment:
    """The final classes: each unit's class label and factor, one row per class, the merges."""

    labels: pd.Series  # per unit: the (possibly merged) class label
    factors: pd.Series  # per unit: weighted sampled / weighted respondents of its class
    table: pd.DataFrame  # per class: sampled, respondents, weighted sums, factor
    collapsed: list[Collapse]
    codes: np.ndarray  # per unit: class code 0..G-1 (order of ``table``)


def class_keys(data: pd.DataFrame, classes: Sequence[str]) -> pd.Series:
    """The class label of each unit: its class variables' values joined with ``:``."""
    classes = list(classes)
    if not classes:
        raise WeightingError("give at least one weighting-class column (e.g. stratum)")
    missing = [c for c in classes if c not in data.columns]
    if missing:
        raise WeightingError(f"weighting-class column(s) {', '.join(missing)} not in the sample")
    values = data[list(classes)].astype("string")
    if values.isna().any().any():
        column = next(c for c in classes if values[c].isna().any())
        raise WeightingError(f"weighting-class column {column!r} has empty values")
    labels = values[classes[0]].astype(str)
    for column in classes[1:]:
        labels = labels.str.cat(values[column].astype(str), sep=":")
    return labels


def adjust_classes(
    labels: pd.Series,
    weights: np.ndarray,
    responded: np.ndarray,
    min_class_respondents: int = 3,
    max_factor: float = 4.0,
    ordinal: bool = False,
) -> ClassAdjustment:
    """Collapse classes until each has enough respondents and a factor within ``max_factor``.

    ``ordinal``: the labels sort in a meaningful order (propensity quintiles), and a class joins
    the adjacent class with more respondents instead of the one sharing its key's leading parts."""
    if min_class_respondents < 1:
        raise WeightingError(f"the minimum respondents per class must be at least 1, not {min_class_respondents}")
    if not max_factor >= 1:
        raise WeightingError(
            f"the largest adjustment factor must be at least 1 (a factor is never less), not {max_factor}"
        )
    members: dict[str, list[str]] = {label: [label] for label in sorted(labels.unique())}
    group_of = {label: label for label in members}
    # per original class, as plain dicts: groups are re-summed after every merge
    w_all = pd.Series(weights, index=labels.index).groupby(labels).sum().to_dict()
    w_resp = pd.Series(np.where(responded, weights, 0.0), index=labels.index).groupby(labels).sum().to_dict()
    n_all = labels.groupby(labels).size().to_dict()
    n_resp = pd.Series(responded, index=labels.index).groupby(labels).sum().to_dict()
    collapsed: list[Collapse] = []
    limits = (min_class_respondents, max_factor)
    while True:
        stats = _group_stats(members, w_all, w_resp, n_all, n_resp, limits)
        failing = stats[stats["reason"] != ""]
        if failing.empty:
            break
        if len(members) == 1:
            if stats["respondents"].iloc[0] == 0:
                raise WeightingError("no unit of the sample responded: there is nothing to weight")
            break  # a single class left: nothing to merge it with; the diagnostics show its factor
        worst = failing.sort_values(["respondents", "factor"], ascending=[True, False], kind="stable").index[0]
        target = _adjacent(worst, members, stats) if ordinal else _neighbour(worst, members, stats)
        collapsed.append(Collapse(worst, target, str(stats.loc[worst, "reason"])))
        merged = f"{target}+{worst}"
        members[merged] = members.pop(target) + members.pop(worst)
        for label in members[merged]:
            group_of[label] = merged
    stats = _group_stats(members, w_all, w_resp, n_all, n_resp, limits)
    unit_group = labels.map(group_of)
    order = list(stats.index)
    codes = unit_group.map({g: i for i, g in enumerate(order)}).to_numpy(dtype=np.int64)
    factors = unit_group.map(stats["factor"]).astype(float)
    table = stats.drop(columns="reason").reset_index(names="class")
    return ClassAdjustment(unit_group, factors, table, collapsed, codes)


def _group_stats(
    members: dict[str, list[str]],
    w_all: dict[str, float],
    w_resp: dict[str, float],
    n_all: dict[str, int],
    n_resp: dict[str, int],
    limits: tuple[int, float],
) -> pd.DataFrame:
    rows = []
    for group, labels in members.items():
        weighted = float(sum(w_all[label] for label in labels))
        weighted_resp = float(sum(w_resp[label] for label in labels))
        rows.append(
            {
                "class": group,
                "sampled": int(sum(n_all[label] for label in labels)),
                "respondents": int(sum(n_resp[label] for label in labels)),
                "weighted_sampled": weighted,
                "weighted_respondents": weighted_resp,
                "factor": weighted / weighted_resp if weighted_resp > 0 else np.inf,
            }
        )
    stats = pd.DataFrame(rows).set_index("class")
    stats["reason"] = [_reason(r, f, *limits) for r, f in zip(stats["respondents"], stats["factor"], strict=True)]
    return stats


def _reason(respondents: int, factor: float, min_respondents: int, max_factor: float) -> str:
    """Why a class cannot stand alone ("" when it can)."""
    if respondents == 0:
        return "no respondents"
    if respondents < min_respondents:
        return f"{respondents} respondent(s), fewer than {min_respondents}"
    if factor > max_factor * (1 + 1e-9):  # a factor of exactly the limit passes despite rounding
        return f"factor {factor:.4g} above {max_factor:g}"
    return ""


def _components(label: str) -> list[str]:
    return [part for piece in label.split(":") for part in piece.split("|")]


def _neighbour(worst: str, members: dict[str, list[str]], stats: pd.DataFrame) -> str:
    """The group sharing the longest leading run of key components with ``worst``'s classes."""
    mine = [_components(label) for label in members[worst]]

    def closeness(group: str) -> tuple[int, int, str]:
        best = 0
        for label in members[group]:
            theirs = _components(label)
            for own in mine:
                shared = 0
                for a, b in zip(own, theirs, strict=False):
                    if a != b:
                        break
                    shared += 1
                best = max(best, shared)
        return best, int(stats.loc[group, "respondents"]), group

    others = [g for g in members if g != worst]
    # nearest first, then most respondents, then the label (deterministic)
    return sorted(others, key=lambda g: (-closeness(g)[0], -closeness(g)[1], g))[0]


def _adjacent(worst: str, members: dict[str, list[str]], stats: pd.DataFrame) -> str:
    """The group holding a class next to one of ``worst``'s in label order, most respondents first."""
    order = sorted(label for labels in members.values() for label in labels)
    position = {label: i for i, label in enumerate(order)}
    near = {
        order[position[label] + step]
        for label in members[worst]
        for step in (-1, 1)
        if 0 <= position[label] + step < len(order)
    }
    candidates = [g for g in members if g != worst and near & set(members[g])]
    return sorted(candidates, key=lambda g: (-int(stats.loc[g, "respondents"]), g))[0]


def replicate_factors(
    codes: np.ndarray, n_groups: int, replicates: np.ndarray, responded: np.ndarray
) -> tuple[np.ndarray, int]:
    """Per-replicate class factors applied to each unit ``(n, R)`` and how many (class,
    replicate) pairs had no respondent weight (their factor is set to 0)."""
    groups = Grouping(codes, n_groups)
    total = groups.sum(replicates)
    responding = groups.sum(replicates * responded[:, None])
    empty = (responding <= 0) & (total > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(responding > 0, total / responding, 0.0)
    return factor[codes], int(np.count_nonzero(empty))
