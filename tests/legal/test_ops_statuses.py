"""Statuses on named dates from the real OPS legal responses (events read by
``sources.ops.legal_event_rows``, status by the pure ``legal.fold.status_of``)."""

from __future__ import annotations

from datetime import date

import pytest

from patentreach.legal.fold import status_of
from patentreach.legal.status_model import EXPIRED, IN_FORCE, LAPSED, UNKNOWN, WITHDRAWN

EP2400812 = ("EP", "10167109")
EP1000000 = ("EP", "99203729")


def _statuses(ops_legal, file: str, key: tuple[str, str], as_of: date):
    events, applications = ops_legal[file]
    mine = [e for e in events if (e.office, e.application_number) == key]
    return {(r.office, r.via): r for r in status_of(applications[key], mine, as_of)}


def test_every_event_of_the_three_responses_is_read(ops_legal) -> None:
    counts = {name: len(events) for name, (events, _) in ops_legal.items()}
    assert counts == {"legal_example_1.xml": 50, "legal_example_3.xml": 14,
                      "get_family_with_legal.response.xml": 75}


def test_reg_event_is_stored_with_the_national_office_and_code_like_tls231(ops_legal) -> None:
    events, _ = ops_legal["get_family_with_legal.response.xml"]
    reg = next(e for e in events if e.event_id == "ops:EP10167109:14")
    assert (reg.event_type, reg.event_authority, reg.event_code, reg.event_publication_date) == (
        "REG", "DE", "R096", date(2019, 12, 19))
    fee = next(e for e in events if e.event_code == "PGFP" and e.fee_country == "FI")
    assert (fee.fee_payment_date, fee.fee_renewal_year) == (date(2025, 6, 20), 16)


def test_ep2400812_in_2026_is_in_force_in_de_fi_gb_se_only(ops_legal) -> None:
    rows = _statuses(ops_legal, "get_family_with_legal.response.xml", EP2400812, date(2026, 12, 7))
    ep = rows[("EP", None)]
    assert (ep.status, ep.since, ep.expiry) == (IN_FORCE, date(2019, 11, 27), date(2030, 6, 24))
    alive = sorted(office for (office, via), r in rows.items() if via == "EP" and r.status == IN_FORCE)
    assert alive == ["DE", "FI", "GB", "SE"]
    assert len([1 for (_, via) in rows if via == "EP"]) == 37  # the 37 designated states (AK)
    hu = rows[("HU", "EP")]  # designated, but no national event at all
    assert hu.status == UNKNOWN
    assert hu.reason == "designated; no national event (validation, renewal or lapse) in the data"
    assert all(r.status == LAPSED for (office, via), r in rows.items()
               if via == "EP" and office not in [*alive, "HU"])


@pytest.mark.parametrize(("state", "since", "deciding"), [
    ("CH", date(2020, 6, 30), "ops:EP10167109:57"),  # PG25 non-payment, effective 30 Jun 2020 (published 2021)
    ("FR", date(2020, 6, 30), "ops:EP10167109:58"),
    ("NL", date(2019, 11, 27), "ops:EP10167109:17"),  # MP: invalid, no translation: since the grant
    ("AT", date(2019, 11, 27), "ops:EP10167109:36"),  # validated (REF) then MK05 + PG25: lapse wins
    ("IE", date(2020, 6, 24), "ops:EP10167109:55"),
])
def test_ep2400812_lapsed_states_say_since_when_and_why(ops_legal, state, since, deciding) -> None:
    row = _statuses(ops_legal, "get_family_with_legal.response.xml", EP2400812, date(2026, 12, 7))[(state, "EP")]
    assert (row.status, row.since, row.application_number) == (LAPSED, since, "10167109")
    assert deciding in row.events


def test_a_renewal_window_passed_without_a_payment_event_is_said_in_the_reason(ops_legal) -> None:
    row = _statuses(ops_legal, "get_family_with_legal.response.xml", EP2400812, date(2026, 12, 7))[("GB", "EP")]
    assert "last renewal seen: year 16 (2025-05-08)" in row.reason
    assert "no renewal seen for year 17 (from 2026-06-24)" in row.reason


def test_ep2400812_before_grant_is_pending_without_state_rows(ops_legal) -> None:
    rows = _statuses(ops_legal, "get_family_with_legal.response.xml", EP2400812, date(2018, 1, 1))
    assert list(rows) == [("EP", None)]
    assert (rows[("EP", None)].status, rows[("EP", None)].since) == ("pending", date(2010, 6, 24))


def test_ep1000000_gb_nl_be_in_force_in_2010_and_all_lapsed_in_2012(ops_legal) -> None:
    in_2010 = _statuses(ops_legal, "legal_example_1.xml", EP1000000, date(2010, 1, 1))
    assert sorted(o for (o, via), r in in_2010.items() if via and r.status == IN_FORCE) == ["BE", "GB", "NL"]
    # no B publication in this response: the grant date is the (expected) grant event GRAA
    assert (in_2010[("EP", None)].status, in_2010[("EP", None)].since) == (IN_FORCE, date(2002, 12, 28))
    in_2012 = _statuses(ops_legal, "legal_example_1.xml", EP1000000, date(2012, 1, 1))
    ep = in_2012[("EP", None)]
    assert (ep.status, ep.since, ep.reason) == (LAPSED, date(2011, 6, 1), "lapsed in all 19 states named by the events")
    assert (in_2012[("GB", "EP")].status, in_2012[("GB", "EP")].since) == (LAPSED, date(2010, 11, 8))


def test_ep1000000_after_its_term_the_ep_row_is_expired_and_lapsed_states_stay_lapsed(ops_legal) -> None:
    rows = _statuses(ops_legal, "legal_example_1.xml", EP1000000, date(2026, 12, 7))
    assert (rows[("EP", None)].status, rows[("EP", None)].since) == (EXPIRED, date(2019, 11, 8))
    assert rows[("NL", "EP")].status == LAPSED


def test_us9648662_in_force_with_its_maintenance_fees(ops_legal) -> None:
    row = _statuses(ops_legal, "get_family_with_legal.response.xml", ("US", "13167395"), date(2026, 12, 7))[
        ("US", None)]
    assert (row.status, row.since, row.expiry) == (IN_FORCE, date(2017, 5, 9), date(2031, 6, 23))
    assert row.reason == "granted: grant published 2017-05-09; maintenance fees seen: year 4, 8"
    assert row.publication_numbers == ("US-2012057518-A1", "US-9648662-B2")


def test_us10465445_says_the_missing_year_4_maintenance_fee(ops_legal) -> None:
    row = _statuses(ops_legal, "legal_example_3.xml", ("US", "15919370"), date(2026, 12, 7))[("US", None)]
    assert (row.status, row.since, row.expiry) == (IN_FORCE, date(2019, 11, 5), date(2038, 3, 13))
    assert "no payment seen for the year-4 maintenance fee (window closed 2023-11-05)" in row.reason


def test_ca2744162_is_withdrawn_from_its_discontinuation(ops_legal) -> None:
    row = _statuses(ops_legal, "get_family_with_legal.response.xml", ("CA", "2744162"), date(2026, 12, 7))[
        ("CA", None)]
    assert (row.status, row.since, row.events) == (WITHDRAWN, date(2017, 6, 23), ("ops:CA2744162:1",))


def test_ca2744162_before_its_discontinuation_is_pending(ops_legal) -> None:
    row = _statuses(ops_legal, "get_family_with_legal.response.xml", ("CA", "2744162"), date(2017, 1, 1))[
        ("CA", None)]
    assert row.status == "pending"


def test_the_only_unknown_status_in_the_ops_samples_is_a_designated_state_without_events(ops_legal) -> None:
    unknown = []
    for events, applications in ops_legal.values():
        for key, application in applications.items():
            mine = [e for e in events if (e.office, e.application_number) == key]
            unknown += [(r.office, r.via, r.application_number) for r in status_of(application, mine, date(2026, 12, 7))
                        if r.status == UNKNOWN]
    assert unknown == [("HU", "EP", "10167109")]
