"""The status rules on small hand-made event lists (each names the rule it shows)."""

from __future__ import annotations

from datetime import date

from patentreach.legal.fold import Application, status_of
from patentreach.legal.term import term_end
from patentreach.model.legal_events import LegalEvent

APP = Application("US", "12345678", date(2010, 3, 1), grant_date=date(2013, 5, 7))


def _event(n: int, code: str, published: date, **fields) -> LegalEvent:
    return LegalEvent(f"e{n}", "US", "12345678", None, n, "US", code, event_publication_date=published, **fields)


def test_the_2009_us_application_without_events_is_unknown_not_pending() -> None:
    app = Application("US", "11111111", date(2008, 6, 1), last_publication_date=date(2009, 12, 3))
    [row] = status_of(app, [], date(2026, 12, 7))
    assert (row.status, row.reason, row.expiry) == ("unknown", "no legal events; last published 2009",
                                                     date(2028, 6, 1))


def test_a_us_grant_without_events_is_in_force_until_its_first_maintenance_fee_can_lapse_it() -> None:
    [young] = status_of(APP, [], date(2017, 5, 6))
    assert (young.status, young.since, young.reason) == (
        "in_force", date(2013, 5, 7),
        "granted 2013-05-07; no legal events, and no maintenance fee can lapse it before 2017-05-07")
    [older] = status_of(APP, [], date(2017, 5, 7))
    assert older.status == "unknown"


def test_a_maintenance_fee_expiry_lapses_and_a_reinstatement_restores() -> None:
    events = [_event(1, "EXP.", date(2017, 12, 1)), _event(2, "EXPX", date(2018, 3, 2))]
    [lapsed] = status_of(APP, events, date(2018, 1, 1))
    assert (lapsed.status, lapsed.since, lapsed.events) == ("lapsed", date(2017, 12, 1), ("e1",))
    [restored] = status_of(APP, events, date(2018, 6, 1))
    assert (restored.status, restored.since) == ("in_force", date(2018, 3, 2))


def test_the_restoration_rule_gives_the_deadline_while_it_is_open() -> None:
    def rule(office: str, lapsed_on: date, meaning: str) -> date:
        return date(lapsed_on.year + 2, lapsed_on.month, lapsed_on.day)

    [open_] = status_of(APP, [_event(1, "EXP.", date(2017, 12, 1))], date(2018, 1, 1), rule)
    assert open_.restorable_until == date(2019, 12, 1)
    [closed] = status_of(APP, [_event(1, "EXP.", date(2017, 12, 1))], date(2020, 1, 1), rule)
    assert closed.restorable_until is None


def test_a_grant_after_a_withdrawal_without_restoration_is_a_contradiction() -> None:
    app = Application("US", "12345678", date(2010, 3, 1))
    events = [_event(1, "STCB", date(2012, 1, 1), text="ABANDONED -- FAILURE TO RESPOND"),
              _event(2, "STCF", date(2013, 1, 1), text="PATENTED CASE")]
    [row] = status_of(app, events, date(2014, 1, 1))
    assert row.status == "unknown"
    assert row.reason.startswith("events contradict: status: patented case (US STCF, 2013-01-01) after")


def test_the_term_counts_from_the_international_filing_date_plus_pta_within_a_terminal_disclaimer() -> None:
    assert term_end(date(2012, 3, 1), date(2011, 2, 28)).expiry == date(2031, 2, 28)
    assert term_end(date(2012, 2, 29)).expiry == date(2032, 2, 29)
    assert term_end(date(2011, 2, 28), pta_days=100).expiry == date(2031, 6, 8)
    assert term_end(date(2011, 2, 28), pta_days=100, terminal_disclaimer=date(2030, 1, 1)).expiry == date(2030, 1, 1)
    assert term_end(date(2011, 2, 28), extension_until=date(2033, 1, 1)).expiry == date(2033, 1, 1)


def test_an_event_that_takes_effect_after_the_date_does_not_count() -> None:
    events = [_event(1, "EXP.", date(2017, 12, 1))]
    [row] = status_of(APP, events, date(2017, 11, 30))
    assert (row.status, row.since) == ("in_force", date(2013, 5, 7))
