"""Google's own flags type the document: ``grant_date`` (non-zero, not after the publication) with
``application_kind`` (A patent, U utility model, F design) make a grant at any office, recorded as
``doc_type_rule = "source:google"``; the kind-code table keeps republications, reissues and
applications, and types every row without the flags."""

from __future__ import annotations

import json

import pytest

from patentreach.model.records import DOC_TYPE_RULES
from patentreach.sources.google_patents import GooglePatents
from tests.fetch.google_fakes import sample_result_rows
from tests.sources.vendor_helpers import counts, read_bytes, records_by_id

READER = GooglePatents()


def _read(rows: list[dict]) -> dict:
    parsed = read_bytes(READER, ("\n".join(json.dumps(r) for r in rows) + "\n").encode())
    assert counts(parsed) == {"stored": len(rows)}
    records = records_by_id(parsed)
    return {pub_id: (r.publication.doc_type, r.publication.doc_type_rule) for pub_id, r in records.items()}


def _row(number: str, published: int, filed: int, application: str, title: str, name: str,
         grant_date: object = None, application_kind: object = None) -> dict:
    office, _, kind = number.split("-")
    row = {"publication_number": number, "country_code": office, "kind_code": kind,
           "application_number": application, "publication_date": published, "filing_date": filed,
           "title_localized": [{"text": title, "language": "en"}],
           "assignee_harmonized": [{"name": name, "country_code": ""}],
           "inventor_harmonized": [{"name": name, "country_code": ""}]}
    if grant_date is not None:
        row["grant_date"] = grant_date
    if application_kind is not None:
        row["application_kind"] = application_kind
    return row


# Real granted patents at offices outside the old kind-code table, from the Lens export of
# ../shared/data/lens (lens-export_patents_jet-engine_2021-03.csv, Type "Granted Patent"): number,
# publication and filing dates, application number, title and applicant as printed there; in the
# Google schema a grant carries its grant date and application_kind "A".
EA_GRANT = ("EA-032399-B1", 20190531, 20151029, "EA-201700206-A", "Power Unit With Discrete Rotary Jet Engine",
            "SCIGOREV IURI")
LT_GRANT = ("LT-3025-B", 19940825, 19921001, "LT-IP134-A", "Jet Rotary Engine", "STEPANOVAS NIKOLAJUS")
TW_GRANT = ("TW-I324218-B", 20100501, 20071113, "TW-96142775-A", "TW I324218 B", "UNKNOWN")


def test_grants_at_offices_outside_the_old_table_are_invention_grants_by_google_flags() -> None:
    rows = [_row(*doc, grant_date=doc[1], application_kind="A") for doc in (EA_GRANT, LT_GRANT, TW_GRANT)]
    assert _read(rows) == {
        "EA-32399-B1": ("invention_grant", "source:google"),  # pub_id drops leading zeros
        "LT-3025-B": ("invention_grant", "source:google"),
        "TW-I324218-B": ("invention_grant", "source:google"),
    }


def test_without_the_flags_the_kind_code_table_decides() -> None:
    typed = _read([_row(*doc) for doc in (EA_GRANT, LT_GRANT, TW_GRANT)])
    assert {rule for _, rule in typed.values()} == {"kind_code"}


def test_real_us_sample_rows_as_fetch_exports_them_are_grants_by_the_flags() -> None:
    typed = _read(sample_result_rows())
    assert typed == {pub_id: ("invention_grant", "source:google") for pub_id in typed}
    assert sorted(typed) == ["US-9474634-B2", "US-9478535-B2", "US-9483948-B1", "US-9485150-B2", "US-9487825-B2",
                             "US-9514606-B2", "US-9517254-B2", "US-9523720-B2", "US-9527909-B2", "US-9528354-B2"]


# Constructed rows (no real Google rows of these kinds are in ../shared/data): what the flags may
# not decide.
@pytest.mark.parametrize(("number", "published", "grant_date", "application_kind", "expected"), [
    # EP B2: the new specification after opposition, a republication of an earlier grant.
    ("EP-1000001-B2", 20200115, 20150610, "A", ("other", "kind_code")),
    # An application published before its grant: the grant date comes after it.
    ("EP-1000002-A1", 20180110, 20210505, "A", ("invention_application", "kind_code")),
    # A US reissue: Google's application kind cannot say "reissue"; the table can.
    ("US-RE48000-E", 20200721, 20200721, "A", ("reissue", "kind_code")),
    # A utility model and a design, typed by application_kind.
    ("CN-210000001-U", 20200103, 20200103, "U", ("utility_model", "source:google")),
    ("CN-305000001-S", 20190101, 20190101, "F", ("design", "source:google")),
    # A PCT application kind, and a zero (string) grant date: no flag decides.
    ("CN-110000001-B", 20200103, 20200103, "W", ("invention_grant", "kind_code")),
    ("CN-110000002-A", 20200103, "0", "A", ("invention_application", "kind_code")),
])
def test_what_the_flags_may_not_decide(number, published, grant_date, application_kind, expected) -> None:  # type: ignore[no-untyped-def]
    row = _row(number, published, 20170101, "", "Constructed", "ACME", grant_date, application_kind)
    assert _read([row]) == {number: expected}


def test_the_rule_is_documented() -> None:
    assert DOC_TYPE_RULES["source:google"].startswith("Google Patents Public Data flags: grant_date non-zero")
