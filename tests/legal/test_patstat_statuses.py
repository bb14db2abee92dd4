"""``statuses_as_of`` on a warehouse of the PATSTAT-layout sample: its tls231 rows are the
legal_events, its tls201/tls211 rows the publications the statuses are joined to."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from patentreach.legal.status import statuses_as_of
from patentreach.legal.status_model import EXPIRED, IN_FORCE, LAPSED, UNKNOWN, WITHDRAWN

AS_OF = date(2026, 12, 7)


@pytest.fixture(scope="module")
def statuses(patstat_legal_warehouse):
    return statuses_as_of(patstat_legal_warehouse, AS_OF)


def _row(statuses, office, number, via=None):
    return next(r for r in statuses if (r.office, r.application_number, r.via) == (office, number, via))


def test_ep2400812_from_tls231_is_in_force_in_the_same_four_states_as_from_ops(statuses) -> None:
    ep = _row(statuses, "EP", "10167109")
    assert (ep.status, ep.since, ep.expiry) == (IN_FORCE, date(2019, 11, 27), date(2030, 6, 24))
    assert ep.publication_numbers == ("EP-2400812-A1", "EP-2400812-B1")
    states = {r.office: r.status for r in statuses if r.via == "EP" and r.application_number == "10167109"}
    assert sorted(s for s, status in states.items() if status == IN_FORCE) == ["DE", "FI", "GB", "SE"]
    assert len(states) == 37
    assert states["HU"] == UNKNOWN  # designated (AK), no national event


def test_a_tls231_lapse_names_its_event(statuses) -> None:
    ch = _row(statuses, "CH", "10167109", "EP")
    assert (ch.status, ch.since) == (LAPSED, date(2020, 6, 30))
    assert all(event.startswith("patstat:") for event in ch.events)


def test_us9648662_in_force_and_ca2744162_withdrawn(statuses) -> None:
    us = _row(statuses, "US", "13167395")
    assert (us.status, us.since, us.expiry) == (IN_FORCE, date(2017, 5, 9), date(2031, 6, 23))
    ca = _row(statuses, "CA", "2744162")
    assert (ca.status, ca.since) == (WITHDRAWN, date(2017, 6, 23))


def test_an_application_without_events_is_unknown_with_its_last_publication_year_never_pending(statuses) -> None:
    no_events = [r for r in statuses if r.via is None and not r.events]
    # in force without events: only young US grants, which no maintenance fee can have lapsed yet
    assert {r.status for r in no_events} == {UNKNOWN, EXPIRED, IN_FORCE}
    assert {(r.office, r.application_number) for r in no_events if r.status == IN_FORCE} == {
        ("US", "16361657"), ("US", "16533534")}
    assert all(r.status != "pending" for r in statuses)
    us = _row(statuses, "US", "11023667")  # US-2006142694-A1, filed 2004-12-28: term ended 2024-12-28
    assert (us.status, us.reason) == (EXPIRED, "no legal events; the 20-year term ended on 2024-12-28")
    unknown = next(r for r in no_events if r.status == UNKNOWN and r.office == "US")
    assert unknown.reason.startswith("no legal events; last published ")


def test_one_office_row_per_application_of_the_publications_or_the_events(statuses, patstat_legal_warehouse) -> None:
    from patentreach.warehouse.views import connect

    con = connect(patstat_legal_warehouse)
    applications = con.execute(
        "SELECT count(*) FROM (SELECT office, application_number FROM publications WHERE application_number"
        " IS NOT NULL UNION SELECT office, application_number FROM legal_events)").fetchone()[0]
    offices = Counter(r.status for r in statuses if r.via is None)
    assert sum(offices.values()) == applications == 244
    assert offices[IN_FORCE] == 5  # EP 10167109, US 13167395, US 201815919370 and two young US grants
    assert offices[WITHDRAWN] == 1


def test_a_portfolio_restricts_the_work_to_its_applications(patstat_legal_warehouse) -> None:
    rows = statuses_as_of(patstat_legal_warehouse, AS_OF, [("us", "13167395"), ("CA", "2744162")])
    assert [(r.office, r.application_number, r.status) for r in rows] == [
        ("CA", "2744162", WITHDRAWN), ("US", "13167395", IN_FORCE)]
