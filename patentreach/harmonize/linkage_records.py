"""Name variants in the shape the Splink model compares (see ``splink_settings``).

The caller gives one row per name variant with its linkage key; this module adds what is computed
from all variants together: the sorted key, blocking keys (the first two words; the first letter
with the last two words), and the *two rarest words* of each key, rarity being the number of
variants whose key contains the word. Two variants of one applicant usually share their
distinctive words ("USA ENERGY" / "USA AMERICA ENERGY": ENERGY, USA) while a subsidiary adds a
distinctive word of its own ("UNIV FLORIDA" / "UNIV FLORIDA RES FOUND": FLORIDA, FOUND), so the
pair of rarest words separates the two cases better than overall string similarity. Rarity is
counted in the data being linked, so it adapts to it: "UNIV" is common among applicants,
"FLORIDA" is not.
"""

from __future__ import annotations

from collections import Counter

import pyarrow as pa

COLUMNS = (
    "unique_id",
    "kind",
    "match_key",
    "sorted_key",
    "rare_key",
    "block_prefix",
    "block_suffix",
    "country",
    "city",
    "source_ids",
    "co_names",
    "weight",
)

SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("kind", pa.string()),
        ("match_key", pa.string()),
        ("sorted_key", pa.string()),
        ("rare_key", pa.string()),
        ("block_prefix", pa.string()),
        ("block_suffix", pa.string()),
        ("country", pa.string()),
        ("city", pa.string()),
        ("source_ids", pa.list_(pa.string())),
        ("co_names", pa.list_(pa.string())),
        ("weight", pa.int64()),
    ]
)


def rare_keys(match_keys: list[str], k: int = 2) -> list[str]:
    """For each key, its ``k`` rarest words (fewest keys containing them; ties alphabetical),
    written in alphabetical order."""
    frequency = Counter(word for key in set(match_keys) for word in set(key.split()))
    out = []
    for key in match_keys:
        words = sorted(set(key.split()), key=lambda w: (frequency[w], w))[:k]
        out.append(" ".join(sorted(words)))
    return out


def _suffix(key: str) -> str | None:
    """First letter + last two words: catches a misspelt first word ("DANIZGER DAN FLOWER FARM")."""
    words = key.split()
    return f"{key[0]} {' '.join(words[-2:])}" if len(words) >= 3 else None


def build(
    unique_ids: list[str],
    kinds: list[str],
    match_keys: list[str],
    countries: list[str | None] | None = None,
    cities: list[str | None] | None = None,
    source_ids: list[list[str] | None] | None = None,
    co_names: list[list[str] | None] | None = None,
    weights: list[int] | None = None,
) -> pa.Table:
    """The linkage table: one row per variant, columns ``COLUMNS``."""
    n = len(unique_ids)
    blank: list = [None] * n
    return pa.table(
        {
            "unique_id": unique_ids,
            "kind": kinds,
            "match_key": [key or None for key in match_keys],
            "sorted_key": [" ".join(sorted(set(key.split()))) or None for key in match_keys],
            "rare_key": [key or None for key in rare_keys(match_keys)],
            "block_prefix": [" ".join(key.split()[:2]) or None for key in match_keys],
            "block_suffix": [_suffix(key) for key in match_keys],
            "country": countries or blank,
            "city": cities or blank,
            "source_ids": source_ids or blank,
            "co_names": co_names or blank,
            "weight": weights or [1] * n,
        },
        schema=SCHEMA,
    )
