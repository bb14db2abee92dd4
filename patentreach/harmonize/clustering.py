"""Links between name variants -> clusters, without chaining peers together.

Plain connected components over every link above a threshold lets one doubtful link join two
large, distinct applicants ("UNIV FLORIDA" and "UNIV FLORIDA RES FOUND" through a misspelt
variant of either). Here each variant keeps only its *best* link to a *heavier* variant (one
with more parties; ties broken by id): a rare misspelling attaches to the common spelling it is
closest to, the way a spelling corrector works, and two common spellings join only when one of
them links to the other as its best heavier neighbour. A cluster is a tree whose root is its
heaviest variant; the root's id names the cluster.

Entities are national, as in the OECD HAN tables: a variant whose country is known never joins
a cluster whose known country differs. Links between two different known countries are ignored,
and a tree is cut where a variant's known country differs from the country it would inherit
through a variant without one ("SIEMENS" US -> "SIEMENS" (no country) -> "SIEMENS" DE: the US
variant stays apart).
"""

from __future__ import annotations

from collections.abc import Iterable


def best_heavier_links(
    edges: Iterable[tuple[str, str, float]],
    weights: dict[str, int],
    countries: dict[str, str | None] | None = None,
) -> dict[str, str]:
    """child -> parent: for each variant, the highest-scoring edge to a heavier variant (ties:
    the heavier parent, then the smaller id); edges between two different known countries are
    skipped."""
    countries = countries or {}
    best: dict[str, tuple[float, int, str]] = {}
    for a, b, score in edges:
        ca, cb = countries.get(a), countries.get(b)
        if ca and cb and ca != cb:
            continue
        wa, wb = weights[a], weights[b]
        if (wa, b) > (wb, a):  # a is heavier (or as heavy with the smaller id): b attaches to a
            child, parent, parent_weight = b, a, wa
        else:
            child, parent, parent_weight = a, b, wb
        current = best.get(child)
        if current is None or _better((score, parent_weight, parent), current):
            best[child] = (score, parent_weight, parent)
    return {child: parent for child, (_, _, parent) in best.items()}


def _better(new: tuple[float, int, str], old: tuple[float, int, str]) -> bool:
    if new[:2] != old[:2]:
        return new[:2] > old[:2]
    return new[2] < old[2]


def clusters(
    ids: Iterable[str], parents: dict[str, str], countries: dict[str, str | None] | None = None
) -> dict[str, str]:
    """variant -> root of its tree (its cluster's heaviest variant), after cutting every link
    that would put two known countries in one tree."""
    countries = countries or {}
    parents = dict(parents)
    inherited: dict[str, str | None] = {}

    def country_of(node: str) -> str | None:
        path = []
        while node not in inherited:
            path.append(node)
            parent = parents.get(node)
            if parent is None:
                break
            node = parent
        above = inherited.get(node) if node in inherited else countries.get(node)
        if node not in inherited:
            inherited[node] = above
            path = path[:-1]
        for child in reversed(path):
            own = countries.get(child)
            if own and above and own != above:
                del parents[child]  # the conflict: this variant starts its own tree
                above = own
            else:
                above = own or above
            inherited[child] = above
        return above

    ids = list(ids)
    for node in ids:
        country_of(node)
    out: dict[str, str] = {}
    for start in ids:
        path = []
        node = start
        while node not in out and node in parents:
            path.append(node)
            node = parents[node]
        root = out.get(node, node)
        out[node] = root
        for visited in path:
            out[visited] = root
    return out
