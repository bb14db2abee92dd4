"""Entity ids that survive re-runs and new data.

An id is never derived from the cluster alone, because clusters change when data is added.
Instead every harmonisation remembers which entity each name variant belonged to
(``derived/entity_variants.parquet``), and the next run hands ids on by overlap:

1. New clusters are taken heaviest first (most party rows; ties by their root variant id).
2. A cluster keeps the previous id that most of its party rows carried (weighted by rows; ties:
   the smaller id), unless a heavier cluster has already kept it.
3. A cluster with no previous id left gets a new one: ``E`` + the first 12 hex digits of the SHA-1
   of its root variant id (the heaviest variant's id, itself a hash of kind, key and country), so
   that the same data always gives the same ids, even in a fresh warehouse.

Consequences: re-running on the same data gives the same ids; adding data keeps every id whose
applicant is still there; when two clusters merge, the heavier one's id survives and the other is
*retired* (counted in the report); when a cluster splits, the heavier part keeps the id.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class IdAssignment:
    cluster_ids: dict[str, str]  # cluster root -> entity id
    kept: int
    new: int
    retired: int


def new_id(root: str, *avoid: set[str]) -> str:
    """``E`` + 12 hex digits of SHA-1(root); salted in the (unlikely) case it is already used."""
    salt = 0
    while True:
        text = root if salt == 0 else f"{root}:{salt}"
        candidate = "E" + hashlib.sha1(text.encode()).hexdigest()[:12]
        if not any(candidate in ids for ids in avoid):
            return candidate
        salt += 1


def assign(
    variant_cluster: dict[str, str],
    variant_weight: dict[str, int],
    previous: dict[str, str],
) -> IdAssignment:
    """Entity ids for the clusters of ``variant_cluster`` (variant -> cluster root), given the
    ``previous`` run's variant -> entity id."""
    members: dict[str, list[str]] = defaultdict(list)
    for variant, root in variant_cluster.items():
        members[root].append(variant)
    weight = {root: sum(variant_weight.get(v, 1) for v in vs) for root, vs in members.items()}
    taken: set[str] = set()
    reserved = set(previous.values())  # a retired id is never given to another applicant
    out: dict[str, str] = {}
    kept = 0
    for root in sorted(members, key=lambda r: (-weight[r], r)):
        overlap: dict[str, int] = defaultdict(int)
        for variant in members[root]:
            old = previous.get(variant)
            if old is not None:
                overlap[old] += variant_weight.get(variant, 1)
        candidates = sorted((-w, old) for old, w in overlap.items() if old not in taken)
        if candidates:
            out[root] = candidates[0][1]
            kept += 1
        else:
            out[root] = new_id(root, taken, reserved)
        taken.add(out[root])
    retired = len(reserved - taken)
    return IdAssignment(out, kept, len(out) - kept, retired)
