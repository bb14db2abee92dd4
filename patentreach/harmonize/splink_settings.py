"""The Splink model that decides whether two name variants are one applicant.

A *record* is one name variant: one kind (organisation / person), one linkage key
(``name_normalisation.match_key``) and one country, with what its parties share: the most common
city, the source's own entity ids (PatentsView ``assignee_id``) and the names of the inventors on
its publications (``co_names``: two variants that patent with the same inventors are usually one
applicant). Comparisons:

* ``name``: same key; same words in another order ("BOSCH ROBERT" / "ROBERT BOSCH"); one typing
  error in a key of 8+ letters; Jaro-Winkler >= 0.97 with the same two rarest words (``rare_key``,
  word rarity counted in the data being linked). Fuzzy levels apply to organisations only:
  person names are matched exactly or reordered. Looser levels (Jaro-Winkler 0.92, same rarest
  words alone) were measured on the NBER benchmark and lost more precision than they gained
  recall (BENCHMARKS.md), so they are not in the model.
* ``country``, ``city``: same / different / unknown (unknown is neutral).
* ``source_ids``: a shared source entity id; ``co_names``: one or two shared inventors.

Every level starts from the prior m and u below (what a name comparison typically shows for a true
pair and for a random pair). ``linker.py`` replaces them by estimates from the data when there are
enough records (u by random sampling, m by expectation maximisation), and keeps the priors for
tiny data, where estimation fails or is noise. Blocking keeps the comparisons few: only records of
the same kind that share the first two words, the first letter and last two words, the sorted
key, the two rarest words, the first six letters or a source id are compared.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

ORGANISATION = "kind_l = 'organisation'"

# Prior (m, u) per level, strongest first; the last is the "else" level.
NAME_PRIORS = (
    ("exact key", 0.80, 2e-6),
    ("same words, other order", 0.05, 2e-6),
    ("one typing error", 0.05, 2e-5),
    ("Jaro-Winkler >= 0.97, same rarest words", 0.03, 1e-5),
    ("other", 0.10, 0.999964),
)
COUNTRY_PRIORS = (("same country", 0.95, 0.15), ("other country", 0.05, 0.85))
CITY_PRIORS = (("same city", 0.6, 0.01), ("other city", 0.4, 0.99))
SOURCE_ID_PRIORS = (("shared source id", 0.9, 1e-5), ("no shared source id", 0.1, 0.99999))
CO_NAME_PRIORS = (("2+ shared inventors", 0.2, 1e-7), ("1 shared inventor", 0.3, 1e-5), ("none", 0.5, 0.9999899))

# Starting value of the share of matching pairs among all pairs (re-estimated by EM in training).
PRIOR_MATCH_SHARE = 1e-4


def _configured(level: Any, prior: tuple[str, float, float]) -> Any:
    label, m, u = prior
    return level.configure(m_probability=m, u_probability=u, label_for_charts=label)


def name_comparison() -> cl.CustomComparison:
    org = cll.CustomLevel(ORGANISATION, base_dialect_str="duckdb")
    levels = [
        cll.ExactMatchLevel("match_key"),
        cll.ExactMatchLevel("sorted_key"),
        cll.And(
            org,
            cll.CustomLevel("length(match_key_l) >= 8", base_dialect_str="duckdb"),
            cll.DamerauLevenshteinLevel("match_key", 1),
        ),
        cll.And(org, cll.ExactMatchLevel("rare_key"), cll.JaroWinklerLevel("match_key", 0.97)),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[cll.NullLevel("match_key")]
        + [_configured(level, prior) for level, prior in zip(levels, NAME_PRIORS, strict=True)],
    )


def _simple(column: str, levels: list[Any], priors: tuple[tuple[str, float, float], ...]) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[cll.NullLevel(column)]
        + [_configured(level, prior) for level, prior in zip(levels, priors, strict=True)],
    )


def comparisons() -> list[cl.CustomComparison]:
    return [
        name_comparison(),
        _simple("country", [cll.ExactMatchLevel("country"), cll.ElseLevel()], COUNTRY_PRIORS),
        _simple("city", [cll.ExactMatchLevel("city"), cll.ElseLevel()], CITY_PRIORS),
        _simple("source_ids", [cll.ArrayIntersectLevel("source_ids", 1), cll.ElseLevel()], SOURCE_ID_PRIORS),
        _simple(
            "co_names",
            [cll.ArrayIntersectLevel("co_names", 2), cll.ArrayIntersectLevel("co_names", 1), cll.ElseLevel()],
            CO_NAME_PRIORS,
        ),
    ]


def blocking_rules() -> list[Any]:
    """Pairs worth comparing: always the same kind of party."""
    return [
        block_on("kind", "block_prefix"),
        block_on("kind", "block_suffix"),
        block_on("kind", "sorted_key"),
        block_on("kind", "rare_key"),
        block_on("kind", "substr(match_key, 1, 6)", "substr(sorted_key, 1, 2)"),
        block_on("kind", "source_ids", arrays_to_explode=["source_ids"]),
    ]


def settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(),
        probability_two_random_records_match=PRIOR_MATCH_SHARE,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        additional_columns_to_retain=["weight"],
    )
