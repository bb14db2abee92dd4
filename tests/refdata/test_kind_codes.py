"""Kind codes: every office of the issue's list, the meanings that changed over time, and the
rule that republications are not counted again."""

from __future__ import annotations

import itertools
from datetime import date, datetime

import pytest

from patentreach.model.records import DocType
from patentreach.refdata.kind_codes import doc_type, kind_code, kind_codes, kind_offices

GRANT = "invention_grant"
APPLICATION = "invention_application"
UM = "utility_model"

REQUIRED_OFFICES = [
    "CN", "US", "EP", "JP", "KR", "DE", "GB", "FR", "WO", "RU", "IN", "AU", "CA", "BR",
]


def test_every_office_of_the_issue_is_covered() -> None:
    assert set(REQUIRED_OFFICES) <= set(kind_offices())


@pytest.mark.parametrize(
    ("office", "kind", "pub_date", "expected"),
    [
        # CN: the 2010 switch from C/Y/D to B/U/S
        ("CN", "A", date(2015, 3, 4), APPLICATION),
        ("CN", "C", date(2005, 6, 1), GRANT),
        ("CN", "C", date(2015, 6, 1), "other"),  # partial invalidation after the switch
        ("CN", "B", date(2015, 6, 1), GRANT),
        ("CN", "B", date(2000, 6, 1), "other"),  # no CN B between 1993 and 2010
        ("CN", "Y", date(2005, 6, 1), UM),
        ("CN", "Y", date(2015, 6, 1), "other"),
        ("CN", "U", date(2015, 6, 1), UM),
        ("CN", "D", date(2005, 6, 1), "design"),
        ("CN", "S", date(2015, 6, 1), "design"),
        ("CN", "S", date(1990, 6, 1), "design"),  # pre-grant design announcement, 1985 law
        ("CN", "S", date(2000, 6, 1), "other"),
        ("CN", "B", date(1990, 6, 1), GRANT),  # examined application under the 1985 law
        ("CN", "B", date(2007, 6, 1), GRANT),  # declassified defence patents 2005-2010
        ("CN", "U", date(1990, 6, 1), UM),
        # US: A was the grant before 2001; B1/B2 were re-examination certificates then
        ("US", "A", date(1999, 5, 4), GRANT),
        ("US", "B1", date(1999, 5, 4), "other"),
        ("US", "B1", date(2010, 5, 4), GRANT),
        ("US", "B3", date(1999, 5, 4), "other"),
        ("US", "B2", date(2010, 5, 4), GRANT),
        ("US", "A1", date(2010, 5, 4), APPLICATION),
        ("US", "A2", date(2010, 5, 4), "other"),
        ("US", "A9", date(2010, 5, 4), "other"),
        ("US", "S1", date(2010, 5, 4), "design"),
        ("US", "S", date(1995, 5, 4), "design"),
        ("US", "S", date(2010, 5, 4), "design"),
        ("US", "P2", date(2010, 5, 4), "plant"),
        ("US", "P3", date(2010, 5, 4), "plant"),
        ("US", "P1", date(2010, 5, 4), "other"),
        ("US", "P4", date(2010, 5, 4), "other"),
        ("US", "P9", date(2010, 5, 4), "other"),
        ("US", "E1", date(2010, 5, 4), "reissue"),
        ("US", "E", date(1995, 5, 4), "reissue"),
        ("US", "H1", date(2010, 5, 4), "other"),
        ("US", "C1", date(2010, 5, 4), "other"),
        # EP: B2/B3 are republications of a B1 grant; A3/A4 are search reports
        ("EP", "A1", date(2012, 7, 4), APPLICATION),
        ("EP", "A2", date(2012, 7, 4), APPLICATION),
        ("EP", "A3", date(2012, 7, 4), "other"),
        ("EP", "A4", date(2012, 7, 4), "other"),
        ("EP", "B1", date(2012, 7, 4), GRANT),
        ("EP", "B2", date(2012, 7, 4), "other"),
        ("EP", "B3", date(2012, 7, 4), "other"),
        # JP
        ("JP", "A", date(2012, 7, 4), APPLICATION),
        ("JP", "A1", date(2012, 7, 4), APPLICATION),
        ("JP", "B1", date(2012, 7, 4), GRANT),
        ("JP", "B2", date(2012, 7, 4), GRANT),
        ("JP", "U", date(2012, 7, 4), UM),
        ("JP", "Y2", date(1990, 7, 4), UM),
        ("JP", "S", date(2012, 7, 4), "design"),
        # KR
        ("KR", "A", date(2012, 7, 4), APPLICATION),
        ("KR", "B1", date(2012, 7, 4), GRANT),
        ("KR", "U", date(2012, 7, 4), UM),
        ("KR", "Y1", date(2012, 7, 4), UM),
        ("KR", "S", date(2012, 7, 4), "design"),
        # DE: B3/B4 from 2004, C1/C2 before; T2/T5 are translations, not national grants
        ("DE", "A1", date(2012, 7, 4), APPLICATION),
        ("DE", "B3", date(2012, 7, 4), GRANT),
        ("DE", "B4", date(2012, 7, 4), GRANT),
        ("DE", "C2", date(1999, 7, 4), GRANT),
        ("DE", "C2", date(2012, 7, 4), "other"),
        ("DE", "U1", date(2012, 7, 4), UM),
        ("DE", "T2", date(2012, 7, 4), "other"),
        ("DE", "T5", date(2012, 7, 4), "other"),
        # GB: A was the grant under the 1949 Act
        ("GB", "A", date(1970, 7, 4), GRANT),
        ("GB", "A", date(2012, 7, 4), APPLICATION),
        ("GB", "B", date(2012, 7, 4), GRANT),
        # FR
        ("FR", "A1", date(2012, 7, 4), APPLICATION),
        ("FR", "B1", date(2012, 7, 4), GRANT),
        ("FR", "A3", date(2012, 7, 4), UM),
        ("FR", "B3", date(2012, 7, 4), UM),
        # WO: never a grant
        ("WO", "A1", date(2022, 12, 15), APPLICATION),
        ("WO", "A2", date(2022, 12, 15), APPLICATION),
        ("WO", "A3", date(2022, 12, 15), "other"),
        ("WO", "A4", date(2022, 12, 15), "other"),
        # RU
        ("RU", "A", date(2012, 7, 4), APPLICATION),
        ("RU", "C1", date(2012, 7, 4), GRANT),
        ("RU", "C2", date(2012, 7, 4), GRANT),
        ("RU", "U1", date(2012, 7, 4), UM),
        ("RU", "C3", date(2018, 7, 4), "other"),
        # IN
        ("IN", "A", date(2015, 4, 3), APPLICATION),
        ("IN", "B", date(2015, 4, 3), GRANT),
        ("IN", "A1", date(2015, 4, 3), GRANT),
        ("IN", "A7", date(2015, 4, 3), "other"),
        # AU: innovation patents are second-tier (utility model); B4 certifies an A4
        ("AU", "A1", date(2012, 7, 4), APPLICATION),
        ("AU", "B1", date(2012, 7, 4), GRANT),
        ("AU", "B2", date(2012, 7, 4), GRANT),
        ("AU", "A4", date(2012, 7, 4), UM),
        ("AU", "B4", date(2012, 7, 4), "other"),
        # CA: A was the old-Act grant; C from 1 October 1989
        ("CA", "A", date(1983, 8, 9), GRANT),
        ("CA", "A1", date(2012, 7, 4), APPLICATION),
        ("CA", "C", date(2012, 7, 4), GRANT),
        ("CA", "E", date(2012, 7, 4), "reissue"),
        # BR
        ("BR", "A2", date(2012, 7, 4), APPLICATION),
        ("BR", "B1", date(2012, 7, 4), GRANT),
        ("BR", "U2", date(2012, 7, 4), UM),
        ("BR", "Y1", date(2012, 7, 4), UM),
    ],
)
def test_doc_type_on_a_date(office: str, kind: str, pub_date: date, expected: str) -> None:
    assert doc_type(office, kind, pub_date) == expected


@pytest.mark.parametrize(
    ("office", "kind", "expected"),
    [
        ("US", "B1", GRANT),
        ("US", "B2", GRANT),
        ("US", "A", GRANT),  # only ever meant a grant (before 2001)
        ("CN", "B", GRANT),
        ("CN", "C", "other"),
        ("CN", "Y", "other"),
        ("CN", "U", UM),
        ("DE", "B4", GRANT),
        ("GB", "A", APPLICATION),
        ("EP", "B1", GRANT),
    ],
)
def test_no_date_gives_the_current_meaning(office: str, kind: str, expected: str) -> None:
    assert doc_type(office, kind) == expected


def test_unknown_pairs_are_other() -> None:
    assert doc_type("US", "Z9") == "other"
    assert doc_type("ZZ", "B1", date(2020, 1, 1)) == "other"


def test_a_date_outside_every_validity_period_is_other() -> None:
    assert doc_type("US", "A1", date(1999, 1, 1)) == "other"  # no US pre-grant publications yet


def test_case_blanks_and_datetimes_are_accepted() -> None:
    assert doc_type(" us ", "b2", datetime(2010, 5, 4, 12, 0)) == GRANT


def test_switch_days_are_inclusive() -> None:
    assert doc_type("US", "A", date(2000, 12, 31)) == GRANT
    assert doc_type("US", "B1", date(2001, 1, 2)) == GRANT
    assert doc_type("CN", "C", date(2010, 3, 31)) == GRANT
    assert doc_type("CN", "C", date(2010, 4, 1)) == "other"


def test_every_doc_type_is_a_model_doc_type() -> None:
    assert {code.doc_type for code in kind_codes()} <= {member.value for member in DocType}


def test_validity_periods_of_one_kind_do_not_overlap() -> None:
    by_pair: dict[tuple[str, str], list] = {}
    for code in kind_codes():
        by_pair.setdefault((code.office, code.kind), []).append(code)
    for pair, rows in by_pair.items():
        rows.sort(key=lambda c: c.valid_from or date.min)
        for earlier, later in itertools.pairwise(rows):
            assert earlier.valid_to is not None, pair
            assert later.valid_from is not None and earlier.valid_to < later.valid_from, pair


def test_unsure_rows_of_the_appendix_are_marked_not_verified() -> None:
    # IN A1 left this list on 2026-12-06: PatSeer's per-country list names it the patent ("partly")
    for office, kind in [("FR", "A3"), ("FR", "B3"), ("IN", "B"), ("IN", "A7")]:
        row = kind_code(office, kind)
        assert row is not None and row.verified == "NOT VERIFIED", (office, kind)
    cn_after_switch = kind_code("CN", "C", date(2015, 1, 1))
    assert cn_after_switch is not None and cn_after_switch.verified == "NOT VERIFIED"


def test_rows_name_their_sources() -> None:
    cn_switch = kind_code("CN", "B", date(2015, 1, 1))
    assert cn_switch is not None and "patsnap" in cn_switch.source.lower()
    us_reexam = kind_code("US", "B1", date(1999, 1, 1))
    assert us_reexam is not None and "MPEP 2290" in us_reexam.source
