"""Kind codes at every office of CNIPA's table 6-2: each office has an invention-grant row or is
listed, with its reason, in docs/kind_codes.md; the rows added from each source say which."""

from __future__ import annotations

import csv
import re
from datetime import date

import pytest

from patentreach.refdata.kind_codes import doc_type, kind_code, kind_codes
from tests.conftest import REPO, shared_path

GRANT = "invention_grant"
TABLE_6_2 = ("reference", "published", "cnipa_yearbook2022_t6-2_overseas_invention_grants_2021.csv")
EXCEPTIONS_HEADING = "## Offices of CNIPA table 6-2 without an invention-grant row"


def _table_6_2_offices() -> list[str]:
    with shared_path(*TABLE_6_2).open(encoding="utf-8") as fh:
        return [row["office"] for row in csv.DictReader(fh)]


def _documented_exceptions() -> dict[str, str]:
    """office -> reason, from the exceptions table of docs/kind_codes.md."""
    text = (REPO / "docs" / "kind_codes.md").read_text("utf-8")
    section = text.split(EXCEPTIONS_HEADING, 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| ([A-Z]{2}) \| [\d,]+ \| [^|]+ \| ([^|]+) \|$", section, flags=re.M)
    return {office: reason.strip() for office, reason in rows}


def _offices_with_grant_rows() -> set[str]:
    return {code.office for code in kind_codes() if code.doc_type == GRANT}


def test_table_6_2_has_72_offices() -> None:
    assert len(_table_6_2_offices()) == 72


def test_every_office_of_table_6_2_has_a_grant_row_or_a_documented_reason() -> None:
    offices = set(_table_6_2_offices())
    exceptions = _documented_exceptions()
    assert sorted(exceptions) == ["AD", "ES", "IL", "MY", "OA", "UA"]
    assert offices - _offices_with_grant_rows() == set(exceptions)
    assert len(offices & _offices_with_grant_rows()) == 66


def test_documented_exceptions_have_no_grant_row_and_say_why() -> None:
    for office, reason in _documented_exceptions().items():
        assert office not in _offices_with_grant_rows(), office
        assert len(reason) > 40, (office, reason)


def test_offices_that_were_other_now_type_their_grants() -> None:
    assert doc_type("EA", "B1", date(2019, 6, 28)) == GRANT
    assert doc_type("ID", "B", date(2021, 3, 1)) == GRANT
    assert doc_type("LT", "B", date(1994, 8, 25)) == GRANT
    assert doc_type("EG", "A", date(2021, 3, 1)) == GRANT
    assert doc_type("TW", "B", date(2019, 1, 21)) == GRANT
    for office in ("HK", "ZA", "SG", "LU", "NL", "MX", "VN"):
        assert doc_type(office, "B", date(2021, 6, 1)) == GRANT, office
        assert doc_type(office, "B1", date(2021, 6, 1)) == GRANT, office


@pytest.mark.parametrize(
    ("office", "kind", "pub_date", "expected"),
    [
        ("EA", "B1", date(1997, 12, 31), "other"),  # before the Eurasian system's first publications
        ("EA", "B2", date(2015, 1, 1), "other"),  # amended specification: counted once at B1
        ("EA", "A1", date(2015, 1, 1), "invention_application"),
        ("EA", "B9", date(2011, 12, 31), "other"),  # no row before 2012: unknown, still other
        ("IE", "B", date(1985, 1, 1), GRANT),
        ("IE", "B", date(1995, 1, 1), "other"),  # B1 from 1992
        ("IE", "B1", date(1995, 1, 1), GRANT),
        ("IE", "B2", date(1995, 1, 1), "utility_model"),  # short-term patent
        ("IS", "B6", date(1980, 1, 1), GRANT),
        ("IS", "B", date(1980, 1, 1), "other"),
        ("IS", "B", date(2000, 1, 1), GRANT),
        ("ID", "S", date(2021, 1, 1), "utility_model"),  # simple patent
        ("EE", "U", date(1996, 10, 15), "utility_model"),
        ("EE", "U", date(1996, 10, 16), "other"),  # U1 from 16 October 1996
        ("EE", "U1", date(1996, 10, 16), "utility_model"),
        ("TW", "U", date(2013, 4, 21), "utility_model"),
        ("HK", "A", date(2021, 1, 1), "invention_application"),
        ("IL", "A", date(2021, 1, 1), "invention_application"),
        ("IL", "B", date(2021, 1, 1), "other"),
        ("MY", "A", date(2021, 1, 1), "other"),
        ("DK", "T3", date(2021, 1, 1), "other"),  # translation of an EP patent: no row, other
    ],
)
def test_dated_meanings_of_the_new_rows(office: str, kind: str, pub_date: date, expected: str) -> None:
    assert doc_type(office, kind, pub_date) == expected


def test_rows_resting_on_the_st16_letter_alone_are_not_verified() -> None:
    st16 = [code for code in kind_codes() if code.source.startswith("WIPO ST.16")]
    seen_granted_in_lens = [code for code in st16 if "'Granted Patent'" in code.source]
    assert [(c.office, c.kind, c.verified) for c in seen_granted_in_lens] == [
        ("TW", "B", "partly"), ("LT", "B", "partly"),
    ]
    st16_only = [code for code in st16 if code not in seen_granted_in_lens]
    assert len(st16_only) == 46 * 2 + 2  # B and B1 at 46 offices; HK A; TW A
    assert {code.verified for code in st16_only} == {"NOT VERIFIED"}
    assert all(code.checked == "2026-12-06" for code in st16_only)
    hk = kind_code("HK", "B")
    assert hk is not None and "issue #16 brief" in hk.source and "NOT VERIFIED" in hk.note


def test_rows_from_patseer_and_the_lens_sample_name_them_and_are_partly_verified() -> None:
    ea = kind_code("EA", "B1", date(2010, 1, 1))
    assert ea is not None and ea.verified == "partly"
    assert "patseer" in ea.source.lower() and "Lens sample" in ea.source
    tw = kind_code("TW", "B", date(2010, 1, 1))
    assert tw is not None and "'Granted Patent' 1995-12-21 to 2019-01-21" in tw.source
    india = kind_code("IN", "A1")
    assert india is not None and india.verified == "partly" and "patseer" in india.source.lower()


@pytest.mark.parametrize(
    ("office", "kind", "expected"),
    [
        ("AP", "A", GRANT),  # ARIPO publishes the granted patent under A
        ("BE", "A1", GRANT),
        ("BE", "A3", GRANT),
        ("BE", "A4", "other"),  # improvement patent: an addition
        ("BE", "A7", GRANT),  # patent of importation
        ("BE", "T1", "other"),
        ("BA", "D", GRANT),
        ("BG", "B1", GRANT),
        ("AT", "A1", "invention_application"),
        ("AT", "T", "other"),
        ("AR", "A1", "invention_application"),
        ("AR", "A4", "utility_model"),
        ("AU", "A2", "other"),  # amended after OPI: the application was counted at A/A1
        ("AU", "B3", "utility_model"),  # petty patent
    ],
)
def test_rows_from_the_cas_kind_list(office: str, kind: str, expected: str) -> None:
    row = kind_code(office, kind, date(2021, 6, 1))
    assert row is not None and row.doc_type == expected
    assert "CAS" in row.source and row.verified == "partly" and row.checked == "2026-12-06"


def test_cas_upgraded_the_austrian_and_bosnian_st16_rows() -> None:
    for office in ("AT", "BA"):
        row = kind_code(office, "B")
        assert row is not None and row.verified == "partly" and row.source.startswith("CAS"), office
