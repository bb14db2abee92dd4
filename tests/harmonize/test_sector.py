"""Sector rules (docs/harmonize.md): source type codes first, then role, name and name form."""

from __future__ import annotations

import pytest

from patentreach.harmonize import sector
from patentreach.harmonize.name_normalisation import normalise_name
from tests.harmonize.conftest import rows


def _decide(name: str, kind: str = "organisation", **evidence) -> tuple[str, str]:
    normalised = normalise_name(name)
    decision = sector.decide(
        sector.Evidence(normalised.normalised, kind=kind, legal_sector=normalised.legal_sector, **evidence)
    )
    return decision.sector, decision.rule


@pytest.mark.parametrize(
    ("code", "group"),
    [("2", "company"), ("3", "company"), ("4", "individual"), ("5", "individual"), ("6", "government"),
     ("7", "government"), ("9", "government"), ("13", "company"), ("14", "individual"), ("2.0", "company"),
     ("1", None), ("", None), (None, None), ("99", None)],
)
def test_patentsview_type_codes(code, group):
    assert sector.type_group(code) == group


@pytest.mark.parametrize(
    ("name", "kind", "evidence", "expected"),
    [
        ("Example Turbines GmbH", "organisation", {"type_group": "company"}, ("company", "type_code")),
        ("Jane Example", "person", {"type_group": "individual"}, ("individual", "type_code")),
        ("NASA, an agency of the United States", "organisation", {"type_group": "government"},
         ("government", "type_code")),
        # USPTO codes universities as companies (or, public ones, as government bodies)
        ("The Regents of the University of Michigan", "organisation", {"type_group": "company"},
         ("university", "type_code+name_keyword")),
        ("Fresno California State University", "organisation", {"type_group": "government"},
         ("university", "type_code+name_keyword")),
        ("Fraunhofer-Gesellschaft zur Foerderung der angewandten Forschung", "organisation",
         {"type_group": "company"}, ("government", "type_code+name_keyword")),
        ("Battelle Memorial Institute Inc.", "organisation", {"type_group": "company"}, ("company", "type_code")),
        ("Anna Beispiel", "person", {"only_inventor": True}, ("individual", "inventor_role")),
        ("Beihang University", "organisation", {}, ("university", "name_keyword")),
        # Lens marks a CJK applicant listed among the inventors as a person: the keyword wins
        ("哈尔滨工程大学", "person", {}, ("university", "name_keyword")),
        ("Universitaetsklinikum Hamburg-Eppendorf", "organisation", {}, ("hospital", "name_keyword")),
        ("Duke University Medical Center", "organisation", {}, ("university", "name_keyword")),
        ("Massachusetts General Hospital", "organisation", {}, ("hospital", "name_keyword")),
        ("Bayer CropScience AG", "organisation", {}, ("company", "legal_form")),
        ("Ricoh Research Institute of General Electronics Co., Ltd.", "organisation", {},
         ("company", "legal_form")),
        ("Max-Planck-Gesellschaft zur Foerderung der Wissenschaften e.V.", "organisation", {},
         ("government", "legal_form")),
        ("ETAT FRANCAIS, REPRESENTE PAR MONSIEUR LE MINISTRE DES ARMEES", "organisation", {},
         ("government", "name_keyword")),
        ("FANG HOWARD L", "person", {"applicant_is_inventor": True}, ("individual", "applicant_is_inventor")),
        ("Edward S. Robbins, III", "person", {}, ("individual", "person_form")),
        ("DIRECTION DES ETUDES ET FABRICATIONS D'ARMEMENT", "organisation", {},
         ("company", "organisation_default")),
        ("", None, {}, ("unknown", "no_evidence")),
    ],
)
def test_rules(name, kind, evidence, expected):
    assert _decide(name, kind, **evidence) == expected


def test_keywords_match_whole_words_or_listed_substrings():
    assert sector.keyword_sector("UNIV DALIAN TECH") == ("university", 2)
    assert sector.keyword_sector("UNIVERSAL DISPLAY") is None  # whole words only
    assert sector.keyword_sector("BOSCH ROBERT") is None


def test_party_entity_carries_the_entity_sector_and_rule(harmonized):
    warehouse, _ = harmonized
    found = rows(
        warehouse,
        "SELECT e.name, pe.role, pe.sector, pe.sector_rule FROM party_entity pe JOIN entities e USING (entity_id) "
        "WHERE pe.pub_id IN ('US-11000001-B2', 'US-11000002-B1', 'US-7062920-B2') AND pe.role <> 'inventor' "
        "ORDER BY 1, 2",
    )
    assert found == [
        ("Example Aero Inc.", "assignee", "company", "type_code"),
        ("Example Turbines GmbH", "assignee", "company", "type_code"),
        ("General Electric Company", "assignee", "company", "type_code"),
        # US-7062920-B2 (2006): the applicants printed are the inventors
        ("Glenn Edward Wiehe", "applicant", "individual", "applicant_is_inventor"),
        ("Gregory Allen Cimmarusti", "applicant", "individual", "applicant_is_inventor"),
        ("James Edward Thompson", "applicant", "individual", "applicant_is_inventor"),
        ("James Neil Cooper", "applicant", "individual", "applicant_is_inventor"),
        ("Jane Example", "assignee", "individual", "type_code"),
        ("Marie Ann McMasters", "applicant", "individual", "applicant_is_inventor"),
    ]
    by_rule = dict(rows(warehouse, "SELECT sector_rule, count(*) FROM party_entity GROUP BY 1"))
    assert set(by_rule) <= {
        "type_code", "type_code+name_keyword", "inventor_role", "name_keyword", "legal_form",
        "applicant_is_inventor", "person_form", "organisation_default", "no_evidence",
    }


def test_sector_counts_are_reported(harmonized):
    warehouse, report = harmonized
    assert report.sectors == {"individual": 116, "company": 44, "government": 2, "university": 1}
    assert report.sector_rules == {
        "applicant_is_inventor": 69,
        "inventor_role": 46,
        "type_code": 32,
        "legal_form": 9,
        "organisation_default": 4,
        "name_keyword": 2,
        "type_code+name_keyword": 1,
    }
    assert sum(report.sectors.values()) == report.entities == rows(warehouse, "SELECT count(*) FROM entities")[0][0]
