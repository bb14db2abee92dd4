"""Splink linkage on small inputs, the estimation guard rails, and the clustering rules."""

from __future__ import annotations

import pytest

from patentreach.harmonize import engines, linkage_records, linker
from patentreach.harmonize.clustering import best_heavier_links, clusters
from patentreach.harmonize.name_normalisation import normalise_name
from tests.harmonize.conftest import patentsview_organisation_records


def _records(names_countries_weights):
    keys = [normalise_name(n).match_key for n, _, _ in names_countries_weights]
    return linkage_records.build(
        [f"v{i}" for i in range(len(keys))],
        ["organisation"] * len(keys),
        keys,
        countries=[c for _, c, _ in names_countries_weights],
        weights=[w for _, _, w in names_countries_weights],
    )


def test_tiny_data_uses_the_priors_and_links_what_they_allow():
    records = _records(
        [
            ("ROBERT BOSCH G.M.B.H.", None, 3),
            ("BOSCH GMBH ROBERT", None, 9),
            ("General Electric Company", "US", 5),
            ("GENERAL ELECTRIC COMPANY", None, 1),
            ("General Electtric Company", "US", 1),
            ("Siemens Aktiengesellschaft", "DE", 4),
            ("SIEMENS CORP", "US", 2),
            ("UNIV FLORIDA", "US", 6),
            ("UNIV FLORIDA RES FOUND", "US", 2),
        ]
    )
    resolution = linker.resolve(records)
    assert resolution.parameters == "priors (fewer than 2000 name variants)"
    c = resolution.clusters
    assert c["v0"] == c["v1"] == "v1"  # sorted words; the heavier variant is the root
    assert c["v2"] == c["v3"] == c["v4"] == "v2"  # exact key (no country) and one typing error
    assert c["v5"] != c["v6"]  # same key, different countries: national entities
    assert c["v7"] != c["v8"]  # a subsidiary's extra words are not a typing error


def test_single_record():
    assert linker.resolve(_records([("ACME", None, 1)])).clusters == {"v0": "v0"}


def test_rare_keys_are_the_two_rarest_words():
    assert linkage_records.rare_keys(["USA ENERGY", "USA NAVY", "USA ARMY", "UNIV ENERGY"]) == [
        "ENERGY USA", "NAVY USA", "ARMY USA", "ENERGY UNIV",
    ]


def test_implausible_estimates_are_replaced_by_priors():
    priors = {"comparisons": [_comparison("country", [(0.95, 0.15), (0.05, 0.85)])]}
    broken = {"comparisons": [_comparison("country", [(1.0, 0.26), (2.7e-63, 0.74)])]}
    model, reverted = linker.validated(broken, priors)
    assert reverted == ["country"]
    assert model["comparisons"] == priors["comparisons"]
    fine, none = linker.validated(priors, priors)
    assert none == [] and fine == priors


def _comparison(name, levels):
    return {
        "output_column_name": name,
        "comparison_levels": [{"is_null_level": True}]
        + [{"m_probability": m, "u_probability": u} for m, u in levels],
    }


def test_best_heavier_link_clustering_never_chains_two_countries():
    weights = {"de": 10, "any": 5, "us": 1, "de2": 3}
    countries = {"de": "DE", "any": None, "us": "US", "de2": "DE"}
    edges = [("de", "any", 20.0), ("any", "us", 20.0), ("us", "de", 30.0), ("de2", "us", 25.0), ("de2", "any", 12.0)]
    parents = best_heavier_links(edges, weights, countries)
    assert parents == {"any": "de", "us": "any", "de2": "any"}
    assert clusters(weights, parents, countries) == {"de": "de", "any": "de", "us": "us", "de2": "de"}


def test_unknown_and_unavailable_engines():
    with pytest.raises(engines.EngineUnavailable, match="unknown engine"):
        engines.splink_backend("oracle")
    try:
        import pyspark  # noqa: F401
    except ImportError:
        with pytest.raises(engines.EngineUnavailable, match="pyspark"):
            engines.splink_backend("spark")


def test_parameters_are_estimated_on_enough_real_names_with_guard_rails():
    # 4,000 organisations of the PatentsView assignee table: enough to estimate; on these names EM
    # gives an implausible name model, which the guard puts back to its priors
    records = patentsview_organisation_records(4000)
    resolution = linker.resolve(records)
    assert records.num_rows >= linker.MIN_RECORDS_FOR_ESTIMATION
    assert resolution.parameters == "estimated from the data (implausible estimates replaced by priors: name)"
    clusters = resolution.clusters
    assert clusters["DEUTSCHE TELECOM"] == clusters["DEUTSCHE TELEKOM"]
    assert clusters["BLACKBERRY"] == clusters["BLACKBERY"]
    linked = sum(1 for key, root in clusters.items() if key != root)
    assert linked == 6


def test_fitted_numbers_move_into_another_dialects_settings_and_the_sql_stays():
    fitted = {"probability_two_random_records_match": 0.002, "comparisons": [
        {**_comparison("name", [(0.7, 1e-6), (0.3, 0.99)]), "output_column_name": "name"},
    ]}
    spark_model = {"probability_two_random_records_match": 1e-4, "sql_dialect": "spark", "comparisons": [
        {"output_column_name": "name", "comparison_levels": [
            {"sql_condition": "`k_l` IS NULL", "is_null_level": True},
            {"sql_condition": "jaro_winkler(`k_l`, `k_r`) >= 0.97", "m_probability": 0.8, "u_probability": 2e-6},
            {"sql_condition": "ELSE", "m_probability": 0.2, "u_probability": 0.9},
        ]},
    ]}
    applied = linker.with_parameters(spark_model, fitted)
    assert applied["sql_dialect"] == "spark"
    assert applied["probability_two_random_records_match"] == 0.002
    assert applied["comparisons"][0]["comparison_levels"] == [
        {"sql_condition": "`k_l` IS NULL", "is_null_level": True},
        {"sql_condition": "jaro_winkler(`k_l`, `k_r`) >= 0.97", "m_probability": 0.7, "u_probability": 1e-6},
        {"sql_condition": "ELSE", "m_probability": 0.3, "u_probability": 0.99},
    ]


def test_the_model_is_a_function_of_the_records_alone():
    records = patentsview_organisation_records(4000)
    (first, how), (again, how_again) = linker.fitted_model(records), linker.fitted_model(records)
    assert how == how_again == "estimated from the data (implausible estimates replaced by priors: name)"
    assert first["sql_dialect"] == "duckdb"
    del first["linker_uid"], again["linker_uid"]  # Splink names each linker at random
    assert first == again
