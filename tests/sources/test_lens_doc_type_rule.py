"""Lens's own document type types the document first (rule ``source:lens``); the kind-code table
keeps its republication rows and more precise rights. On the real export (3,778 stored) this
types grants at offices outside the first kind-code table (EA, LT, TW, ES, DE D1)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import cache

import pytest

from patentreach.model.records import DOC_TYPE_RULES
from patentreach.sources.lens import LensCsv, LensJson
from patentreach.sources.lens.publication_type import normalise, type_document
from tests.conftest import shared_path
from tests.sources.vendor_helpers import read_file, records_by_id

CSV_FILE = ("data", "lens", "lens-export_patents_jet-engine_2021-03.csv")
API_FILE = ("data", "lens", "lens-api-patent-response_EP2471949A1.json")
OLD_OFFICES = {"CN", "US", "EP", "JP", "KR", "DE", "GB", "FR", "WO", "RU", "IN", "AU", "CA", "BR"}


@cache
def _csv():
    return read_file(LensCsv(), shared_path(*CSV_FILE))


def _pub(pub_id: str):
    return records_by_id(_csv())[pub_id].publication


def test_both_rules_are_documented() -> None:
    assert {"kind_code", "source:lens"} <= set(DOC_TYPE_RULES)


@pytest.mark.parametrize(
    ("pub_id", "pub_date"),
    [
        ("EA-32399-B1", date(2019, 5, 31)),
        ("LT-3025-B", date(1994, 8, 25)),
        ("TW-I324218-B", date(2010, 5, 1)),
        ("ES-409380-A1", date(1975, 12, 1)),  # old Spanish law: no ES kind-code rows, Lens says granted
    ],
)
def test_grants_outside_the_first_table_are_typed_by_the_lens_flag(pub_id: str, pub_date: date) -> None:
    pub = _pub(pub_id)
    assert (pub.doc_type, pub.doc_type_rule, pub.pub_date) == ("invention_grant", "source:lens", pub_date)


def test_invention_grants_outside_the_first_table_on_the_real_export() -> None:
    grants = Counter(
        (p.record.publication.office, p.record.publication.kind, p.record.publication.doc_type_rule)
        for p in _csv()
        if p.record and p.record.publication.doc_type == "invention_grant"
        and p.record.publication.office not in OLD_OFFICES
    )
    assert grants == Counter({
        ("EA", "B1", "source:lens"): 7,
        ("TW", "B", "source:lens"): 4,
        ("LV", "B", "kind_code"): 3,  # Lens: 'unknown'; ST.16 row (NOT VERIFIED)
        ("LT", "B", "source:lens"): 1,
        ("ES", "A1", "source:lens"): 1,
        ("BG", "B1", "kind_code"): 1,  # Lens: 'unknown'; CAS row
    })


def test_rule_counts_on_the_real_export() -> None:
    rules = Counter(p.record.publication.doc_type_rule for p in _csv() if p.record)
    assert rules == Counter({"source:lens": 3054, "kind_code": 724})


def test_republication_rows_of_the_table_win_over_the_flag() -> None:
    # WO A4 (amended claims) is 'Patent Application' in Lens: the application was counted at A1
    a4 = [p.record.publication for p in _csv() if p.record and p.record.publication.pub_id.startswith("WO-")
          and p.record.publication.kind == "A4"]
    assert len(a4) == 5
    assert {(pub.doc_type, pub.doc_type_rule) for pub in a4} == {("other", "kind_code")}
    # AU A2 (amended after OPI) likewise
    assert (_pub("AU-2003252127-A2").doc_type, _pub("AU-2003252127-A2").doc_type_rule) == ("other", "kind_code")


def test_a_flag_overriding_a_kind_code_row_is_a_warning() -> None:
    pub = _pub("GB-190627065-A")
    assert (pub.doc_type, pub.doc_type_rule) == ("invention_application", "source:lens")
    warnings = [w for p in _csv() for w in p.warnings]
    assert ("GB-190627065-A: Lens Type 'Patent Application' overrides kind code (invention_grant): "
            "typed invention_application") in warnings


def test_limited_patent_and_unknown_fall_back_to_the_kind_code_table() -> None:
    assert (_pub("UA-87173-C2").doc_type, _pub("UA-87173-C2").doc_type_rule) == ("other", "kind_code")
    assert (_pub("TW-M451320-U").doc_type, _pub("TW-M451320-U").doc_type_rule) == ("utility_model", "kind_code")
    assert (_pub("TW-200806879-A").doc_type, _pub("TW-200806879-A").doc_type_rule) == (
        "invention_application", "kind_code")


def test_search_reports_and_amended_patents_are_other_by_the_flag() -> None:
    assert (_pub("EP-1357170-B9").doc_type, _pub("EP-1357170-B9").doc_type_rule) == ("other", "source:lens")


def test_the_api_publication_type_is_the_same_rule() -> None:
    parsed = read_file(LensJson(), shared_path(*API_FILE))
    pub = parsed[0].record.publication
    assert (pub.pub_id, pub.doc_type, pub.doc_type_rule) == ("EP-2471949-A1", "invention_application", "source:lens")


@pytest.mark.parametrize(
    ("lens_type", "office", "kind", "expected"),
    [
        ("GRANTED_PATENT", "HK", "B", ("invention_grant", "source:lens", None)),
        ("Granted Patent", "US", "E1", ("reissue", "kind_code", None)),  # the row names the right
        ("Granted Patent", "EP", "B2", ("other", "kind_code", None)),  # republication after opposition
        ("DESIGN_RIGHT", "CN", "S", ("design", "source:lens", None)),
        ("Limited Patent", "SU", "A1", ("other", "kind_code", None)),
        ("AMBIGUOUS", "XX", "B", ("other", "kind_code", None)),
        ("", "KR", "B1", ("invention_grant", "kind_code", None)),
    ],
)
def test_type_document(lens_type: str, office: str, kind: str, expected: tuple) -> None:
    assert tuple(type_document(lens_type, office, kind, date(2021, 6, 1), "X")) == expected


def test_csv_and_api_spellings_are_one_value() -> None:
    assert normalise("Granted Patent") == normalise("GRANTED_PATENT") == "GRANTED_PATENT"
    assert normalise(None) == ""
