"""Resolve name variants into applicants: Splink scores the pairs, ``clustering`` groups them.

Parameters are estimated from the data when it is large enough (at least
``MIN_RECORDS_FOR_ESTIMATION`` variants): u by random sampling of pairs (seeded, so a re-run gives
the same model), m by expectation maximisation, blocked once on the first two words (for the name
levels) and once on the linkage key (for country, city and the co-occurrence fields). On smaller
data, or when estimation raises, the priors of ``splink_settings`` are used: the result is then a
fixed, documented rule set, not a fit to a handful of rows. A level never observed keeps its
prior, and a comparison whose estimates are implausible (``validated``) goes back to its priors.
``Resolution`` says which happened.

A pair is linked when its evidence (the sum of the log2 Bayes factors of its comparisons, i.e.
the match weight without the prior) is at least ``EVIDENCE_THRESHOLD`` bits. Thresholding the
evidence rather than the match probability keeps the rule independent of the size of the data
(the prior share of matching pairs falls as the data grows).

**One model, any engine.** The parameters are always estimated on DuckDB, in process, and the
engine asked for (DuckDB or Spark) only scores the blocked pairs with that fixed model. Splink's
random sampling for u is seeded, but it picks records by hashing their ids with the seed through
the backend's own ``hash()`` (64-bit in DuckDB, 32-bit Murmur3 in Spark), so the two engines drew
different samples, estimated different u and m from the same records and linked different pairs
(on the shared sample data: 60 pairs on DuckDB, 91 on Spark, among them wrong merges carried by
shared inventors alone). The records (one per name variant) are an Arrow
table in this process anyway, u is sampled from at most ``U_SAMPLE_PAIRS`` pairs and EM runs on
the pairs of one blocking rule at a time, so estimating on DuckDB is affordable and makes the
model a function of the records only. Evidence is rounded to ``EVIDENCE_DECIMALS`` decimals before thresholding
and clustering, so the last-bit differences of two engines' floating-point sums can never move a
pair across the threshold or break a tie differently.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
from splink import Linker, block_on

from patentreach.harmonize import clustering, engines, splink_settings

MIN_RECORDS_FOR_ESTIMATION = 2000
U_SAMPLE_PAIRS = 5e5
EVIDENCE_THRESHOLD = 9.0  # bits: a Bayes factor of 512 in favour of one applicant
EVIDENCE_DECIMALS = 6  # evidence is compared rounded to a millionth of a bit (engine-independent)
SEED = 20261125

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Resolution:
    clusters: dict[str, str]  # variant id -> id of its cluster's heaviest variant
    parameters: str  # "estimated from the data" or "priors (...)"
    linked_pairs: int  # pairs with enough evidence (before keeping each variant's best link)


def resolve(
    records: pa.Table,
    engine: str = "duckdb",
    spark_master: str | None = None,
    on_step: Callable[[str], None] | None = None,
) -> Resolution:
    """Cluster the variants of ``records`` (columns ``linkage_records.COLUMNS``): the model is
    estimated on DuckDB, the pairs are scored on ``engine``. ``on_step`` hears the sub-steps."""
    on_step = on_step or (lambda label: None)
    ids = records.column("unique_id").to_pylist()
    if len(ids) < 2:
        return Resolution({i: i for i in ids}, "priors (nothing to compare)", 0)
    on_step("estimating Splink parameters (DuckDB)")
    model, parameters = fitted_model(records)
    on_step(f"scoring pairs (Splink on {engine})")
    backend = engines.splink_backend(engine, spark_master)
    table = engines.register(backend, records, "name_variants")
    unfitted = Linker(table, splink_settings.settings(), log_level=logging.ERROR).misc.save_model_to_json()
    linker = Linker(table, with_parameters(unfitted, model), log_level=logging.ERROR)
    edges = scored_edges(linker)
    on_step("clustering variants")
    weights = dict(zip(ids, records.column("weight").to_pylist(), strict=True))
    countries = dict(zip(ids, records.column("country").to_pylist(), strict=True))
    parents = clustering.best_heavier_links(edges, weights, countries)
    return Resolution(clustering.clusters(ids, parents, countries), parameters, len(edges))


def fitted_model(records: pa.Table) -> tuple[dict, str]:
    """The Splink model (as Splink's JSON) for ``records`` and how its parameters were obtained:
    the priors below ``MIN_RECORDS_FOR_ESTIMATION`` variants or when estimation fails, else the
    estimates (implausible comparisons back at their priors). Always computed on DuckDB, so every
    engine applies the same model to the same records."""
    backend = engines.splink_backend("duckdb")
    linker = Linker(engines.register(backend, records, "name_variants"), splink_settings.settings(),
                    log_level=logging.ERROR)
    priors = linker.misc.save_model_to_json()
    if records.num_rows < MIN_RECORDS_FOR_ESTIMATION:
        return priors, f"priors (fewer than {MIN_RECORDS_FOR_ESTIMATION} name variants)"
    failure = _estimate(linker, records)
    if failure is not None:
        return priors, f"priors (estimation failed: {failure})"
    model, reverted = validated(linker.misc.save_model_to_json(), priors)
    parameters = "estimated from the data"
    if reverted:
        parameters += f" (implausible estimates replaced by priors: {', '.join(reverted)})"
    return model, parameters


def with_parameters(model: dict, fitted: dict) -> dict:
    """``model`` (Splink's JSON in its engine's SQL dialect) with every m, u and the prior share
    of matches taken from ``fitted`` (the same settings, fitted on DuckDB). Only the numbers move:
    the SQL of each level stays in the dialect of the engine that runs it."""
    fitted_levels = {
        comparison["output_column_name"]: comparison["comparison_levels"] for comparison in fitted["comparisons"]
    }
    comparisons = []
    for comparison in model["comparisons"]:
        source = fitted_levels[comparison["output_column_name"]]
        levels = [
            {**level, **{key: estimated[key] for key in ("m_probability", "u_probability") if key in estimated}}
            for level, estimated in zip(comparison["comparison_levels"], source, strict=True)
        ]
        comparisons.append({**comparison, "comparison_levels": levels})
    share = fitted["probability_two_random_records_match"]
    return {**model, "comparisons": comparisons, "probability_two_random_records_match": share}


def scored_edges(linker: Linker) -> list[tuple[str, str, float]]:
    """The pairs with at least ``EVIDENCE_THRESHOLD`` bits of evidence, as (id, id, evidence).

    Splink is asked for a little more than the threshold and the rounded evidence decides, so the
    cut is made on the same numbers whatever engine summed them."""
    prior_weight = _prior_weight(linker)
    margin = 10.0 ** -(EVIDENCE_DECIMALS - 2)
    predictions = linker.inference.predict(threshold_match_weight=EVIDENCE_THRESHOLD + prior_weight - margin)
    edges = _edges(predictions, prior_weight)
    return [edge for edge in edges if edge[2] >= EVIDENCE_THRESHOLD]


def _estimate(linker: Linker, records: pa.Table) -> str | None:
    """Estimate u and m in place; the reason it failed, or None. The second EM pass (for country,
    city and the co-occurrence fields) runs only when some key occurs in several variants."""
    keys = records.column("match_key").to_pylist()
    try:
        linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=SEED)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("block_prefix"), estimate_without_term_frequencies=True
        )
        if len(set(keys)) < len(keys):
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on("match_key"), estimate_without_term_frequencies=True
            )
    except Exception as exc:  # Splink raises many types for degenerate data; all mean "keep priors"
        log.info("Splink estimation failed: %s", exc)
        return f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    return None


def validated(model: dict, priors: dict) -> tuple[dict, list[str]]:
    """The estimated model with each implausible comparison put back to its priors, and the names
    of those comparisons. Plausible means: every m and u a finite probability, every level's
    Bayes factor within 2^+-MAX_LEVEL_BITS, and the strongest level (listed first) the most
    favourable and the "other" level (listed last) against a match. EM on few or lopsided pairs
    breaks these (e.g. a "different country" level at -200 bits, or most true pairs with
    unrelated names)."""
    prior_by_name = {c["output_column_name"]: c for c in priors["comparisons"]}
    reverted = []
    comparisons = []
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        if _plausible(comparison):
            comparisons.append(comparison)
        else:
            comparisons.append(prior_by_name[name])
            reverted.append(name)
    return {**model, "comparisons": comparisons}, reverted


MAX_LEVEL_BITS = 30.0


def _plausible(comparison: dict) -> bool:
    bits = []
    for level in comparison["comparison_levels"]:
        if level.get("is_null_level"):
            continue
        m, u = level.get("m_probability"), level.get("u_probability")
        if m is None or u is None or not (0 < m <= 1 and 0 < u <= 1 and math.isfinite(m) and math.isfinite(u)):
            return False
        bits.append(math.log2(m / u))
    if not bits or any(abs(b) > MAX_LEVEL_BITS for b in bits):
        return False
    return bits[0] == max(bits) and bits[-1] < 0


def _prior_weight(linker: Linker) -> float:
    share = linker.misc.save_model_to_json()["probability_two_random_records_match"]
    return math.log2(share / (1 - share))


def _edges(predictions: object, prior_weight: float) -> list[tuple[str, str, float]]:
    rows = predictions.as_record_list()  # type: ignore[attr-defined]
    return [
        (r["unique_id_l"], r["unique_id_r"], round(r["match_weight"] - prior_weight, EVIDENCE_DECIMALS)) for r in rows
    ]
