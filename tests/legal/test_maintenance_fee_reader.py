"""The USPTO maintenance-fee events reader, on the fixture written from USPTO's published layout
(tests/fixtures/uspto-maintenance/README.md says where each line comes from)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from patentreach.legal.fold import Application, status_of
from patentreach.sources.uspto_maintenance import UsptoMaintenanceFeeEvents
from patentreach.sources.uspto_maintenance.events import LineError, event_of_line

FIXTURES = Path(__file__).parent.parent / "fixtures" / "uspto-maintenance"
READER = UsptoMaintenanceFeeEvents()


def _events(name: str):
    path = FIXTURES / name
    return [event_of_line(line, path.name, n, "1.0") for n, line in enumerate(path.read_text().splitlines())]


def test_a_line_becomes_an_event_of_the_application_with_its_fee_year() -> None:
    first = _events("MaintFeeEvents_20261130.txt")[0]
    assert (first.event_id, first.office, first.application_number, first.event_code) == (
        "maintfee:9648662:20201020:M2551", "US", "13167395", "M2551")
    assert (first.event_publication_date, first.fee_renewal_year, first.event_filing_date) == (
        date(2020, 10, 20), 4, date(2011, 6, 23))
    assert first.text == "patent 9648662; granted 2017-05-09; entity small"


def test_the_reader_recognises_the_file_and_not_an_ops_response() -> None:
    head = (FIXTURES / "MaintFeeEvents_20261130.txt").read_bytes()
    assert READER.sniff(head).version == "PTMNFEE2"
    assert READER.sniff(b'<?xml version="1.0"?><ops:world-patent-data/>') is None


def test_every_line_of_the_damaged_file_is_accounted_for_with_the_bad_fields_named() -> None:
    outcomes = []
    with open(FIXTURES / "MaintFeeEvents_damaged.txt", "rb") as handle:
        for unit in READER.units(handle):
            outcomes.append(READER.parse(unit, "MaintFeeEvents_damaged.txt"))
    assert len(outcomes) == 4
    quarantined = [o.quarantined.reasons[0] for o in outcomes if o.quarantined is not None]
    assert quarantined == [
        "application number '1316739': not 8 digits; event entry date '20201340': "
        + _bad_month_message() + " at line 2",
        "4 fields, expected 7 (patent number, application number, small-entity flag, filing date, grant date, "
        "event entry date, event code) at line 4",
    ]
    assert [o.skipped.reason for o in outcomes if o.skipped is not None] == ["empty line"]
    assert [len(o.legal_events) for o in outcomes if o.stores] == [1]


def _bad_month_message() -> str:
    try:
        event_of_line("9648662 13167395 Y 20110623 20170509 20201340 M2552", "f", 0, "")
    except LineError as exc:
        return str(exc).removeprefix("event entry date '20201340': ")
    raise AssertionError("a 13th month must be refused")


@pytest.mark.parametrize(("as_of", "status", "since"), [
    (date(2012, 1, 1), "in_force", date(2008, 5, 6)),
    (date(2012, 7, 1), "lapsed", date(2012, 6, 12)),  # EXP.: expired for non-payment
    (date(2013, 6, 1), "in_force", date(2013, 1, 4)),  # EXPX: reinstated
])
def test_expiry_and_reinstatement_events_decide_the_us_status(as_of, status, since) -> None:
    events = [e for e in _events("MaintFeeEvents_20261130.txt") if e.application_number == "99000001"]
    app = Application("US", "99000001", date(2005, 3, 1), grant_date=date(2008, 5, 6))
    [row] = status_of(app, events, as_of)
    assert (row.status, row.since) == (status, since)


def test_the_payments_read_from_the_fixture_match_the_ops_maintenance_events(ops_legal) -> None:
    ops_events, applications = ops_legal["get_family_with_legal.response.xml"]
    fee_events = [e for e in _events("MaintFeeEvents_20261130.txt") if e.application_number == "13167395"]
    ops_years = sorted(e.fee_renewal_year for e in ops_events if e.event_code == "MAFP")
    assert sorted(e.fee_renewal_year for e in fee_events if e.fee_renewal_year) == ops_years == [4, 8]
    [row] = status_of(applications[("US", "13167395")], fee_events, date(2026, 12, 7))
    assert row.reason == "granted: grant published 2017-05-09; maintenance fees seen: year 4, 8"
