"""Country normalisation: the strings real files contain, and nothing guessed."""

from __future__ import annotations

from collections import Counter

import pytest

from patentreach.refdata.countries import (
    CountryStatus,
    country_name,
    is_unknown_country,
    match_country,
    normalise_country,
    unknown_countries,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # the strings named in the issue
        ("KOREA, REPUBLIC OF", "KR"),
        ("SCOTLAND", "GB"),
        ("TAIWAN, PROVINCE OF CHINA", "TW"),
        ("NULL", None),
        ("KRX", "KR"),
        # codes, in any case and with blanks
        ("US", "US"),
        ("de", "DE"),
        (" JP ", "JP"),
        # names from the USPTO assignment sample
        ("JAPAN", "JP"),
        ("HONG KONG", "HK"),
        ("UNITED KINGDOM", "GB"),
        ("CAYMAN ISLANDS", "KY"),
        ("UNITED STATES", "US"),
        ("SAMOA", "WS"),
        # other spellings
        ("Côte d’Ivoire", "CI"),
        ("U.S.A.", "US"),
        ("P.R. China", "CN"),
        ("People's Republic of China", "CN"),
        ("DEU", "DE"),  # ISO alpha-3
        ("UK", "GB"),
        # US states in a country field: only codes that are not ISO codes
        ("NY", "US"),
        ("TX", "US"),
        ("CALIFORNIA", "US"),
        ("CA", "CA"),  # Canada: without the state column California cannot be told apart
        ("GEORGIA", "GE"),  # the country, not the state
        # historical ST.3 codes are kept as themselves
        ("SU", "SU"),
        ("DD", "DD"),
        ("CS", "CS"),
        ("YU", "YU"),
        ("AN", "AN"),
        ("SOVIET UNION", "SU"),
    ],
)
def test_normalise_country(raw: str, expected: str | None) -> None:
    assert normalise_country(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("HK", "HK"),
        ("HONG KONG, CHINA", "HK"),
        ("MACAU", "MO"),
        ("Macao", "MO"),
        ("TAIWAN", "TW"),
        ("REPUBLIC OF CHINA", "TW"),
        ("CHINA", "CN"),
    ],
)
def test_hong_kong_macao_and_taiwan_stay_distinct_from_mainland_china(raw: str, code: str) -> None:
    assert normalise_country(raw) == code


PLACEHOLDERS = [None, "", "   ", "NULL", "null", "omitted", "unknown", "N/A", "--"]


@pytest.mark.parametrize("raw", PLACEHOLDERS)
def test_placeholders_are_empty_not_unknown(raw: str | None) -> None:
    match = match_country(raw)
    assert match.code is None
    assert match.status is CountryStatus.EMPTY
    assert not is_unknown_country(raw)


@pytest.mark.parametrize("raw", ["ATLANTIS", "QQ", "EP", "WO", "123"])
def test_unrecognised_values_map_to_none_and_are_flagged(raw: str) -> None:
    match = match_country(raw)
    assert match.code is None
    assert match.status is CountryStatus.UNRECOGNISED
    assert is_unknown_country(raw)


def test_unknown_values_are_counted() -> None:
    values = ["US", "ATLANTIS", None, "NULL", "ATLANTIS", "MORDOR", "KR"]
    assert unknown_countries(values) == Counter({"ATLANTIS": 2, "MORDOR": 1})


def test_match_says_which_rule_applied() -> None:
    assert match_country("US").rule == "code"
    assert match_country("SCOTLAND").rule == "alias"
    assert match_country("Norway").rule == "name"
    assert match_country("NOR").rule == "alpha3"


def test_country_name() -> None:
    assert country_name("tw") == "Taiwan, Province of China"
    assert country_name("SU") == "Soviet Union"
    assert country_name("ZZ") is None
