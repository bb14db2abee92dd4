"""Country of origin under the three rules, with every fallback counted (docs/harmonize.md)."""

from __future__ import annotations

import pytest

from tests.harmonize.conftest import rows

EXPECTED_COUNTS = [
    ("applicants", "inventor", 1),
    ("applicants", "none", 12),
    ("applicants", "other_applicant_same_entity", 3),
    ("applicants", "own", 49),
    ("first_applicant", "inventor", 1),
    ("first_applicant", "none", 9),
    ("first_applicant", "other_applicant_same_entity", 3),
    ("first_applicant", "own", 41),
    ("inventors", "none", 18),
    ("inventors", "own", 100),
]


def _origin(warehouse, pub_id):
    return rows(
        warehouse,
        "SELECT o.rule, o.country, o.sector, o.share, o.fallback, e.name FROM origin_shares o "
        "LEFT JOIN entities e USING (entity_id) WHERE pub_id = ? ORDER BY rule, e.name",
        pub_id,
    )


def test_fallback_counts_are_reported(harmonized):
    _, report = harmonized
    assert report.origin == EXPECTED_COUNTS
    assert report.fallback_count("first_applicant", "other_applicant_same_entity") == 3


def test_fallback_counts_match_the_table(harmonized):
    warehouse, _ = harmonized
    counted = rows(
        warehouse,
        "SELECT rule, CASE WHEN fallback IS NOT NULL THEN fallback WHEN country IS NULL THEN 'none' ELSE 'own' END, "
        "count(*) FROM origin_shares GROUP BY ALL ORDER BY 1, 2",
    )
    assert counted == EXPECTED_COUNTS


def test_shares_sum_to_one_for_every_publication_and_rule(harmonized):
    warehouse, report = harmonized
    per_rule = rows(warehouse, "SELECT rule, count(DISTINCT pub_id) FROM origin_shares GROUP BY 1 ORDER BY 1")
    assert per_rule == [("applicants", 54), ("first_applicant", 54), ("inventors", 54)]
    assert report.publications == 54
    off = rows(
        warehouse,
        "SELECT pub_id, rule FROM origin_shares GROUP BY ALL HAVING abs(sum(share) - 1) > 1e-12",
    )
    assert off == []
    assert rows(warehouse, "SELECT count(*) FROM origin_shares WHERE rule = 'first_applicant'") == [(54,)]


def test_docdb_1968_applicant_without_residence_takes_its_entity_country(harmonized):
    # GENERAL ELECTRIC COMPANY on DE-1258195-B (1968) has no residence; the same applicant is US
    # on US-7062920-B2 (USPTO XML).
    warehouse, _ = harmonized
    first = [r for r in _origin(warehouse, "DE-1258195-B") if r[0] == "first_applicant"]
    assert first == [
        ("first_applicant", "US", "company", 1.0, "other_applicant_same_entity", "General Electric Company")
    ]
    same = rows(
        warehouse,
        "SELECT count(DISTINCT entity_id) FROM origin_shares WHERE rule = 'first_applicant' "
        "AND pub_id IN ('DE-1258195-B', 'US-7062920-B2')",
    )
    assert same == [(1,)]


def test_us_assignee_without_country_element(harmonized):
    # ipgb20221025: Jaguar Land Rover is printed without a country on the reissue US-RE49258-E1
    warehouse, _ = harmonized
    first = [r for r in _origin(warehouse, "US-RE49258-E1") if r[0] == "first_applicant"]
    assert first == [
        ("first_applicant", "GB", "company", 1.0, "other_applicant_same_entity", "JAGUAR LAND ROVER LIMITED")
    ]


def test_misspelt_assignee_is_the_same_entity(harmonized):
    # "Danziger “Dan” Flower Farm" (no country) and "Danizger ‘DAN’ Flower Farm" (IL)
    warehouse, _ = harmonized
    first = [r for r in _origin(warehouse, "US-PP34694-P2") if r[0] == "first_applicant"]
    assert first[0][1:5] == ("IL", "company", 1.0, "other_applicant_same_entity")


def test_inventor_fallback(harmonized):
    # pa040101: assignee Hill-Rom Services without address; the inventor lives in the US
    warehouse, _ = harmonized
    first = [r for r in _origin(warehouse, "US-20040000002-A1") if r[0] == "first_applicant"]
    assert first == [("first_applicant", "US", "company", 1.0, "inventor", "Hill-Rom Services, Inc.")]


def test_fractional_counting_of_applicants_and_inventors(harmonized):
    warehouse, _ = harmonized
    assert _origin(warehouse, "US-11000001-B2") == [
        ("applicants", "US", "company", 0.5, None, "Example Aero Inc."),
        ("applicants", "DE", "company", 0.5, None, "Example Turbines GmbH"),
        ("first_applicant", "DE", "company", 1.0, None, "Example Turbines GmbH"),
        ("inventors", "DE", "individual", 0.5, None, "Anna Beispiel"),
        ("inventors", "US", "individual", 0.5, None, "Bob Sample"),
    ]


@pytest.mark.parametrize(
    ("pub_id", "applicants"),
    [
        # a US grant without assignee: its applicants as printed (pre-2012: the inventors)
        ("US-H2140-H1", {"Mike Rhodes", "Paul C. Miller", "Richard Winby"}),
        # a US grant with an assignee: the assignee, not the applicant-inventors
        ("US-7062920-B2", {"General Electric Company"}),
    ],
)
def test_us_applicants_are_the_assignees(harmonized, pub_id, applicants):
    warehouse, _ = harmonized
    names = {r[5] for r in _origin(warehouse, pub_id) if r[0] == "applicants"}
    assert names == applicants


def test_no_country_known(harmonized):
    # DE-1258194-B (1968): four French applicants, none with a residence, inventors without one
    warehouse, _ = harmonized
    found = _origin(warehouse, "DE-1258194-B")
    assert [r[0] for r in found].count("applicants") == 4
    assert {(r[1], r[4]) for r in found} == {(None, None)}
    assert {r[3] for r in found if r[0] == "applicants"} == {0.25}
