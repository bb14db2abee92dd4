"""protect uses legal status: only rights in force protect, pending ones are labelled, dead ones
do not protect (a lapsed one shows its restoration route while the window is open), unknown is
said; without statuses the old "assumed in force" behaviour stays, labelled (issue 21)."""

from __future__ import annotations

import sys
import types
from datetime import date

import pytest

from patentreach.legal.status_model import EXPIRED, IN_FORCE, LAPSED, PENDING, UNKNOWN, RightStatus
from patentreach.protect import gaps, read_entity_portfolio
from patentreach.protect.legal_status import NO_DATA, apply_statuses, number_key
from tests.protect.builders import markets, portfolio

AS_OF = date(2026, 6, 1)
# A Chinese family granted in Great Britain (filed directly) and at the EPO (validated in DE).
ROWS = (
    "F1,2015-03-02,CN,granted,201510001,2015-03-02,direct,2017-01-10,,,,,,F04D 15/00,CN",
    "F1,2015-03-02,GB,granted,GB 1604001.5,2016-03-01,direct,2018-05-02,,,,,,F04D 15/00,CN",
    "F1,2015-03-02,EP,granted,EP16000001.2,2016-03-01,direct,2018-06-06,,,,DE,,F04D 15/00,CN",
)


def _report(tmp_path, statuses, *countries, as_of=AS_OF, rows=ROWS):
    held = portfolio(tmp_path, *rows)
    exports = markets(tmp_path, held, *(f"pumps,{c},8413,1000,USD,F1" for c in countries))
    return gaps(held, exports, as_of, statuses=statuses)


def _gb(status, **extra):
    return RightStatus("GB", "GB1604001.5", AS_OF, status, **extra)


def _route(report, name):
    found = [route for route in report.routes if route.route == name]
    assert len(found) == 1, [(r.route, r.market) for r in report.routes]
    return found[0]


def test_application_numbers_match_without_spaces_and_punctuation():
    assert number_key("GB 1604001.5") == number_key("gb1604001-5") == "GB16040015"


def test_without_statuses_grants_are_assumed_in_force_and_the_report_says_so(tmp_path):
    report = _report(tmp_path, None, "GB")
    assert report.coverage[0].status == "protected"
    assert "assumed in force (no lapse data)" in report.coverage[0].basis[0]
    assert f"{NO_DATA}: grants assumed in force, applications assumed pending" in report.warnings
    assert report.summary["legal_status"] == NO_DATA


def test_a_right_in_force_protects_until_its_computed_expiry(tmp_path):
    report = _report(tmp_path, [_gb(IN_FORCE, expiry=date(2036, 3, 1), reason="renewal paid 2026-03-01")], "GB")
    cell = report.coverage[0]
    assert cell.status == "protected"
    assert "in force (legal status: renewal paid 2026-03-01); term to 2036-03-01" in cell.basis[0]
    assert report.summary["legal_status"] == "legal status given (1 rows)"
    assert not any(NO_DATA in warning for warning in report.warnings)


def test_a_grant_the_status_calls_pending_is_pending_not_protected(tmp_path):
    report = _report(tmp_path, [_gb(PENDING, reason="grant not yet in force")], "GB")
    assert report.coverage[0].status == "pending"
    assert "pending (legal status) (grant not yet in force)" in report.coverage[0].basis[0]


def test_unknown_status_is_said_and_not_counted_as_protection(tmp_path):
    report = _report(tmp_path, [_gb(UNKNOWN, reason="no legal events for this application")], "GB")
    assert report.coverage[0].status == "unconfirmed"
    assert "legal status unknown (no legal events for this application)" in report.coverage[0].basis[0]


def test_an_expired_right_does_not_protect_and_has_no_restoration(tmp_path):
    report = _report(tmp_path, [_gb(EXPIRED, since=date(2026, 3, 1))], "GB")
    assert report.coverage[0].status == "none"
    assert "expired since 2026-03-01" in report.coverage[0].basis[0]
    assert not [route for route in report.routes if route.route == "restoration"]


def test_a_lapsed_gb_patent_can_be_restored_for_19_months_from_the_lapse(tmp_path):
    report = _report(tmp_path, [_gb(LAPSED, since=date(2025, 3, 2), reason="renewal fee not paid")], "GB")
    assert report.coverage[0].status == "none"
    assert "lapsed since 2025-03-02 (renewal fee not paid)" in report.coverage[0].basis[0]
    route = _route(report, "restoration")
    assert (route.status, route.office, route.deadline.date) == ("open", "GB", date(2026, 10, 2))
    assert route.deadline.legal_basis == "Patents Act 1977 s. 28; Patents Rules 2007 r. 40"
    assert route.verified == "NOT VERIFIED"
    assert route.fee.text() == "unknown (official fees only)"
    assert report.gaps[0].state == "open" and report.gaps[0].next_deadline == date(2026, 10, 2)


def test_after_the_window_the_restoration_route_is_closed_with_its_end(tmp_path):
    statuses = [_gb(LAPSED, since=date(2025, 3, 2))]
    route = _route(_report(tmp_path, statuses, "GB", as_of=date(2026, 11, 2)), "restoration")
    assert (route.status, route.reason) == ("closed", "the restoration window ended 2026-10-02")


def test_the_engines_restorable_until_wins_over_the_table(tmp_path):
    statuses = [_gb(LAPSED, since=date(2025, 3, 2), restorable_until=date(2026, 9, 15))]
    route = _route(_report(tmp_path, statuses, "GB"), "restoration")
    assert route.deadline.date == date(2026, 9, 15)


def test_an_office_without_a_restoration_row_says_the_window_is_not_known(tmp_path):
    rows = ("F1,2015-03-02,CN,granted,201510001,2015-03-02,direct,2017-01-10,,,,,,F04D 15/00,CN",
            "F1,2015-03-02,BR,granted,BR1020160001,2016-03-01,direct,2020-06-06,,,,,,F04D 15/00,CN")
    statuses = [RightStatus("BR", "BR1020160001", AS_OF, LAPSED, since=date(2025, 6, 1))]
    route = _route(_report(tmp_path, statuses, "BR", rows=rows), "restoration")
    assert route.status == "closed"
    assert route.reason == "restoration window not known: no restoration rule for BR in the table"
    assert route.remedies and route.remedies[0].endswith("not assured")


def test_a_validated_state_of_an_ep_patent_takes_its_own_status(tmp_path):
    statuses = [RightStatus("DE", "EP16000001.2", AS_OF, LAPSED, since=date(2025, 7, 1), via="EP"),
                RightStatus("FR", "EP 16000001.2", AS_OF, IN_FORCE, expiry=date(2036, 3, 1), via="EP"),
                RightStatus("EP", "EP16000001.2", AS_OF, IN_FORCE)]
    report = _report(tmp_path, statuses, "DE", "FR")
    by_market = {cell.market: cell for cell in report.coverage}
    assert by_market["DE"].status == "none" and "validated: lapsed since 2025-07-01" in by_market["DE"].basis[0]
    assert by_market["FR"].status == "protected"  # the status says FR is in force although not listed
    route = _route(report, "restoration")
    assert (route.market, route.office, route.deadline.date) == ("DE", "DE", date(2027, 1, 1))


def test_a_filing_without_a_status_row_is_assumed_in_force_and_labelled(tmp_path):
    report = _report(tmp_path, [RightStatus("US", "99999", AS_OF, IN_FORCE)], "GB")
    assert report.coverage[0].status == "protected"
    assert "assumed in force (no legal status found for this application)" in report.coverage[0].basis[0]


def test_the_portfolio_file_status_columns_give_a_lapse_date_and_its_restoration(tmp_path):
    path = tmp_path / "held.csv"
    path.write_text(
        "family,priority_date,office,status,application_number,application_date,grant_date,lapsed_on,expiry\n"
        "F1,2015-03-02,CN,granted,201510001,2015-03-02,2017-01-10,,2035-03-02\n"
        "F1,2015-03-02,GB,lapsed,GB1604001.5,2016-03-01,2018-05-02,2025-03-02,\n", encoding="utf-8")
    from patentreach.protect import read_portfolio

    held = read_portfolio(path)
    assert held.status_source == "status columns of held.csv"
    exports = markets(tmp_path, held, "pumps,GB,8413,1000,USD,F1", "pumps,CN,8413,1000,USD,F1")
    report = gaps(held, exports, AS_OF)
    by_market = {cell.market: cell for cell in report.coverage}
    assert by_market["CN"].status == "protected" and "term to 2035-03-02" in by_market["CN"].basis[0]
    assert by_market["GB"].status == "none"
    assert _route(report, "restoration").deadline.date == date(2026, 10, 2)


def test_a_lapse_date_on_a_live_row_is_an_input_error(tmp_path):
    from patentreach.protect import InputError, read_portfolio

    path = tmp_path / "held.csv"
    path.write_text("family,priority_date,office,status,grant_date,lapsed_on\n"
                    "F1,2015-03-02,GB,granted,2018-05-02,2025-03-02\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_portfolio(path)
    assert raised.value.problems == ["held.csv, row 2, column lapsed_on: a lapse date is given but status is granted"]


@pytest.fixture(scope="module")
def entity(harmonised_warehouse):
    from patentreach.warehouse import connect

    con = connect(harmonised_warehouse)
    try:
        found = con.execute(
            "SELECT e.entity_id, count(DISTINCT p.pub_id) AS n FROM party_entity e JOIN publications p USING (pub_id) "
            "WHERE e.role IN ('applicant', 'assignee') AND p.doc_type = 'invention_grant' "
            "GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1").fetchone()
    finally:
        con.close()
    return read_entity_portfolio(harmonised_warehouse, found[0])


def _entity_report(held):
    filing = next(f for family in held.families.values() for f in family.filings if f.status == "granted")
    return gaps(held, markets_for(held, filing), AS_OF), filing, held.families[filing.family]


def markets_for(held, filing):
    from patentreach.protect.markets import ExportMarkets, Market

    return ExportMarkets((Market("line", filing.office, None, 1000.0, "USD", "test"),), {"line": (filing.family,)},
                         "test")


def test_a_warehouse_entity_gets_the_status_engines_answer(entity):
    """The real engine on the real warehouse: no events for this US grant, so its term decides."""
    report, _, _ = _entity_report(entity)
    assert report.summary["legal_status"] == "legal status from the warehouse as of 2026-06-01"
    assert report.coverage[0].status == "none"
    assert report.coverage[0].basis == ("US10314986: US application 10314986: expired since 2022-12-10 "
                                        "(no legal events; the 20-year term ended on 2022-12-10)",)


def test_a_warehouse_entity_uses_the_engines_statuses(entity, monkeypatch):
    asked = {}

    def statuses_as_of(warehouse, as_of, applications=None):
        asked["applications"] = applications
        return [RightStatus(office, number, as_of, LAPSED, since=date(2020, 1, 1), reason="fee not paid")
                for office, number in applications]

    engine = types.ModuleType("patentreach.legal.status")
    engine.statuses_as_of = statuses_as_of
    monkeypatch.setitem(sys.modules, "patentreach.legal.status", engine)
    report, filing, _ = _entity_report(entity)
    assert (filing.office, filing.application_number) in asked["applications"]
    assert report.coverage[0].status == "none"
    assert "lapsed since 2020-01-01 (fee not paid)" in report.coverage[0].basis[0]
    assert report.summary["legal_status"] == "legal status from the warehouse as of 2026-06-01"


def test_apply_statuses_marks_every_filing_as_looked_up(tmp_path):
    held = apply_statuses(portfolio(tmp_path, *ROWS), [], "none found")
    assert all(f.legal_checked and f.legal is None for f in held.families["F1"].filings)
