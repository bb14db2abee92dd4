"""Offices: national, regional, international, historical."""

from __future__ import annotations

import pytest

from patentreach.refdata.kind_codes import kind_offices
from patentreach.refdata.offices import is_regional, office, offices


@pytest.mark.parametrize("code", ["EP", "EA", "AP", "OA", "GC", "EM"])
def test_regional_offices(code: str) -> None:
    found = office(code)
    assert found is not None and found.kind == "regional" and not found.historical
    assert is_regional(code)


def test_international_office() -> None:
    assert office("WO").kind == "international"
    assert office("WO").acronym == "WIPO"


@pytest.mark.parametrize("code", ["SU", "DD", "CS", "YU", "AN"])
def test_historical_codes_are_known_and_flagged(code: str) -> None:
    found = office(code)
    assert found is not None and found.historical and found.kind == "national"


def test_names_are_cleaned_of_the_st3_copy_quirks() -> None:
    assert office("DE").name == "Germany"  # "Germany (3)" in the source
    assert office("IR").name == "Iran, Islamic Republic of"  # split over two columns
    assert office("EH").name == "Western Sahara"  # stray footnote "5" dropped
    assert office("TW").name == "Taiwan, Province of China"
    assert office("EP").name == "European Patent Office"


def test_lookup_is_case_insensitive_and_unknown_is_none() -> None:
    assert office(" us ").code == "US"
    assert office("US").kind == "national"
    assert office("ZZ") is None


def test_every_office_with_kind_codes_is_a_known_office() -> None:
    assert set(kind_offices()) <= set(offices())
