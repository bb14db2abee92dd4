"""Dated country groups: membership on a day, before and after joining or leaving."""

from __future__ import annotations

import csv
from datetime import date, datetime

import pytest

from patentreach.refdata.country_groups import group_names, is_member, members, memberships
from tests.conftest import shared_path


def test_group_names() -> None:
    assert group_names() == [
        "aripo",
        "aripo_non_harare",
        "bri",
        "eapo",
        "epc",
        "epc_extension",
        "epc_validation",
        "epc_validation_pending",
        "gcc",
        "ip5",
        "major_offices",
        "oapi",
        "unitary_patent",
        "upca_signed_not_ratified",
    ]


@pytest.mark.parametrize(
    ("country", "group", "day", "expected"),
    [
        ("ME", "epc", date(2022, 9, 30), False),  # Montenegro joined the EPC on 1 Oct 2022
        ("ME", "epc", date(2022, 10, 1), True),
        ("DE", "epc", date(1977, 10, 7), True),
        ("NO", "epc", date(2007, 12, 31), False),
        ("NO", "epc", date(2008, 1, 1), True),
        ("RO", "unitary_patent", date(2024, 8, 31), False),  # Romania from 1 Sep 2024
        ("RO", "unitary_patent", date(2024, 9, 1), True),
        ("DE", "unitary_patent", date(2023, 5, 31), False),  # system started 1 Jun 2023
        ("DE", "unitary_patent", date(2023, 6, 1), True),
        ("IE", "unitary_patent", date(2025, 1, 1), False),  # signed, not ratified
        ("GE", "epc_validation", date(2024, 1, 14), False),
        ("GE", "epc_validation", date(2024, 1, 15), True),
        ("MD", "eapo", date(2010, 1, 1), True),  # Moldova left the EAPC in April 2012
        ("MD", "eapo", date(2013, 1, 1), False),
        ("BY", "eapo", date(1995, 8, 11), False),
        ("BY", "eapo", date(1995, 8, 12), True),
        ("KM", "oapi", date(2012, 1, 1), False),  # Comoros joined OAPI in 2013
        ("KM", "oapi", date(2014, 1, 1), True),
        ("SN", "oapi", date(2020, 1, 1), True),
        ("KE", "aripo", date(2020, 1, 1), True),
        ("SA", "gcc", date(2020, 1, 1), True),
        ("BA", "epc_extension", date(2020, 1, 1), True),
        ("PK", "bri", date(2020, 1, 1), True),
        ("US", "bri", date(2020, 1, 1), False),
        ("CN", "ip5", date(2020, 1, 1), True),
    ],
)
def test_membership_on_a_date(country: str, group: str, day: date, expected: bool) -> None:
    assert is_member(country, group, day) is expected


def test_members_on_a_date_and_today() -> None:
    assert len(members("epc")) == 39
    assert "ME" not in members("epc", date(2020, 1, 1))
    assert len(members("epc", date(2020, 1, 1))) == 38
    assert len(members("unitary_patent")) == 18
    assert len(members("unitary_patent", date(2024, 1, 1))) == 17
    assert members("eapo") == frozenset({"AM", "AZ", "BY", "KZ", "KG", "RU", "TJ", "TM"})
    assert len(members("oapi")) == 17
    assert len(members("aripo")) == 21
    assert members("gcc") == frozenset({"AE", "BH", "KW", "OM", "QA", "SA"})
    assert members("ip5") == frozenset({"CN", "EP", "JP", "KR", "US"})


def test_datetime_is_accepted() -> None:
    assert is_member("ME", "epc", datetime(2022, 10, 1, 9, 30))


def test_bri_has_the_152_countries_of_the_shared_list() -> None:
    with shared_path("reference", "filing-rules", "bri_countries.csv").open(encoding="utf-8") as f:
        expected = {row["iso2"] for row in csv.DictReader(f)}
    assert len(expected) == 152
    assert members("bri") == frozenset(expected)


def test_major_offices_default_is_ip5_plus_top_15_destinations_of_chinese_applicants() -> None:
    assert members("major_offices") == frozenset(
        {"CN", "EP", "JP", "KR", "US", "HK", "ZA", "IN", "AU", "RU", "CA", "LU", "BR", "SG",
         "GB", "ID"}
    )


def test_unknown_group_raises() -> None:
    with pytest.raises(KeyError, match="unknown country group"):
        members("nato")


def test_rows_not_verified_in_the_shared_files_stay_marked() -> None:
    rows = {(m.group, m.country): m for m in memberships()}
    assert rows[("eapo", "MD")].verified == "NOT VERIFIED"  # withdrawal date not verified
    assert rows[("bri", "IT")].verified == "NOT VERIFIED"  # reported exit not verified


def test_every_regional_system_row_of_the_shared_file_is_present() -> None:
    path = shared_path("reference", "filing-rules", "regional_systems.csv")
    with path.open(encoding="utf-8") as handle:
        expected = {row["member_code"] for row in csv.DictReader(handle)}
    groups = {"epc", "epc_extension", "epc_validation", "epc_validation_pending",
              "unitary_patent", "upca_signed_not_ratified", "eapo", "aripo", "aripo_non_harare",
              "oapi", "gcc"}
    assert {m.country for m in memberships() if m.group in groups} == expected
