"""Routes to protection and their deadlines, worked by hand (issue 8)."""

from __future__ import annotations

from datetime import date

from patentreach.protect.routes import routes_for
from tests.protect.builders import portfolio

AS_OF = date(2026, 6, 1)


def _pct_family(tmp_path, priority: str, pct: str, home: str = "CN"):
    held = portfolio(tmp_path, f"F1,{priority},{home},pending,X1,{priority},direct,,PCT/X1,{pct},I,,,F04D 15/00,{home}")
    return held.families["F1"]


def _route(routes, name, office=None):
    found = [r for r in routes if r.route == name and (office is None or r.office == office)]
    assert len(found) == 1, [(r.route, r.office) for r in routes]
    return found[0]


def test_national_phase_30_months_from_31_january_is_31_july(tmp_path):
    family = _pct_family(tmp_path, "2024-01-31", "2025-01-30")
    route = _route(routes_for(family, "JP", AS_OF), "pct_national")
    assert (route.status, route.office, route.deadline.date) == ("open", "JP", date(2026, 7, 31))
    assert route.deadline.rule == "pct_national_phase"
    assert route.verified == "yes"


def test_ep_regional_phase_31_months_from_31_january_is_31_august(tmp_path):
    family = _pct_family(tmp_path, "2024-01-31", "2025-01-30")
    route = _route(routes_for(family, "DE", AS_OF), "pct_regional", "EP")
    assert (route.status, route.deadline.date) == ("open", date(2026, 8, 31))
    assert route.deadline.expires is None and not route.deadline.holidays_known


def test_30_months_from_31_august_is_28_february_and_is_closed_by_june(tmp_path):
    family = _pct_family(tmp_path, "2023-08-31", "2024-08-30")
    route = _route(routes_for(family, "JP", AS_OF), "pct_national")
    assert route.deadline.date == date(2026, 2, 28)
    assert route.deadline.expires == date(2026, 3, 2)  # Saturday, then a Monday at the JPO
    assert route.status == "closed"
    assert route.reason == "the 30-month national phase time limit ended 2026-02-28"
    assert len(route.remedies) == 1
    assert "PCT Rule 49.6" in route.remedies[0] and "2027-02-28" in route.remedies[0]
    assert route.remedies[0].endswith("not assured")


def test_an_unverified_time_limit_marks_the_deadline_not_verified(tmp_path):
    family = _pct_family(tmp_path, "2024-01-31", "2025-01-30")
    route = _route(routes_for(family, "US", AS_OF), "pct_national")  # the US row is NOT VERIFIED
    assert route.deadline.date == date(2026, 7, 31)
    assert route.verified == "NOT VERIFIED"
    assert route.deadline.unverified == (
        "PCT time limit US: NOT VERIFIED - (value not yet checked against the WIPO table) - check against "
        "WIPO table before use",
    )


def test_france_and_the_netherlands_have_no_national_pct_route_only_ep(tmp_path):
    family = _pct_family(tmp_path, "2024-01-31", "2025-01-30")
    for market in ("FR", "NL"):
        routes = routes_for(family, market, AS_OF)
        assert not [r for r in routes if r.route == "pct_national"]
        regional = _route(routes, "pct_regional")
        assert (regional.office, regional.deadline.date) == ("EP", date(2026, 8, 31))
        assert "EP is the only PCT route" in regional.notes[0]


def test_oapi_states_are_reached_only_through_oa(tmp_path):
    family = _pct_family(tmp_path, "2024-01-31", "2025-01-30")
    routes = routes_for(family, "SN", AS_OF)
    assert {(r.route, r.office) for r in routes} == {("regional_direct", "OA"), ("pct_regional", "OA")}
    assert _route(routes, "pct_regional").deadline.date == date(2026, 7, 31)  # OA: 30 months


def test_late_entry_is_a_separate_route_where_the_office_allows_it(tmp_path):
    family = _pct_family(tmp_path, "2023-08-31", "2024-08-30", home="KR")
    routes = routes_for(family, "CN", date(2026, 4, 1))
    assert _route(routes, "pct_national").status == "closed"
    late = _route(routes, "pct_national_late")
    assert (late.status, late.deadline.date, late.deadline.rule) == ("open", date(2026, 4, 30), "pct_late_entry")
    late_ca = _route(routes_for(family, "CA", AS_OF), "pct_national_late")
    assert (late_ca.status, late_ca.deadline.date) == ("open", date(2027, 2, 28))


def test_chapter_ii_uses_the_chapter_ii_limit(tmp_path):
    held = portfolio(tmp_path, "F1,2024-01-31,CN,pending,CN1,2024-01-31,direct,,PCT/CN1,2025-01-30,II,,,,CN")
    route = _route(routes_for(held.families["F1"], "LU", AS_OF), "pct_national")
    assert route.deadline.date == date(2026, 7, 31)  # LU: 20 months under Chapter I, 30 under Chapter II


def test_without_pct_the_priority_year_offers_paris_and_pct_filing(tmp_path):
    held = portfolio(tmp_path, "F1,2025-11-20,CN,pending,CN1,2025-11-20,direct,,,,,,,,")
    routes = routes_for(held.families["F1"], "KE", AS_OF)
    assert {(r.route, r.office, r.deadline.date) for r in routes} == {
        ("paris_national", "KE", date(2026, 11, 20)),
        ("regional_direct", "AP", date(2026, 11, 20)),
        ("pct_filing", "CN", date(2026, 11, 20)),  # the receiving office: the first filing's office
    }
    assert {r.status for r in routes} == {"open"}


def test_a_missed_priority_year_names_restoration_without_promising_it(tmp_path):
    held = portfolio(tmp_path, "F1,2025-04-15,CN,pending,CN1,2025-04-15,direct,,,,,,,,")
    route = _route(routes_for(held.families["F1"], "MX", date(2026, 5, 1)), "paris_national")
    assert route.status == "closed"
    assert route.reason == "the priority year ended 2026-04-15"
    assert "restoration of the right of priority until 2026-06-15" in route.remedies[0]
    assert route.remedies[0].endswith("not assured")
    later = _route(routes_for(held.families["F1"], "MX", date(2026, 7, 1)), "paris_national")
    assert later.remedies == ()
    assert later.reason == ("the priority year ended 2026-04-15; the two-month window for restoring priority "
                            "ended 2026-06-15")


def test_an_ep_filed_before_georgias_agreement_cannot_be_validated_there(tmp_path):
    held = portfolio(
        tmp_path,
        "F1,2023-03-15,CN,granted,CN1,2023-03-15,direct,2024-09-03,,,,,,,",
        "F1,2023-03-15,EP,granted,EP1,2023-10-05,direct,2026-05-20,,,,DE,no,,",
    )
    routes = routes_for(held.families["F1"], "GE", AS_OF)
    validation = _route(routes, "ep_validation")
    assert validation.status == "closed"
    assert validation.reason == ("EP application filed 2023-10-05, before GE is an EP validation state since "
                                 "2024-01-15: it cannot be validated in GE")
    assert {r.status for r in routes} == {"closed"}


def test_an_ep_filed_after_the_agreement_reaches_georgia(tmp_path):
    held = portfolio(
        tmp_path,
        "F1,2023-03-15,CN,granted,CN1,2023-03-15,direct,2024-09-03,,,,,,,",
        "F1,2023-03-15,EP,pending,EP1,2024-01-15,direct,,,,,,,,",
    )
    routes = routes_for(held.families["F1"], "GE", AS_OF)
    assert [(r.route, r.status) for r in routes] == [("in_progress", "pending")]


def test_a_granted_ep_offers_validation_and_unitary_effect(tmp_path):
    held = portfolio(
        tmp_path,
        "F1,2023-03-15,CN,granted,CN1,2023-03-15,direct,2024-09-03,,,,,,,",
        "F1,2023-03-15,EP,granted,EP1,2023-10-05,direct,2026-05-20,,,,DE,no,,",
    )
    routes = routes_for(held.families["F1"], "FR", AS_OF)
    validation = _route(routes, "ep_validation")
    assert (validation.status, validation.office, validation.deadline.date) == ("open", "FR", date(2026, 8, 20))
    assert validation.verified == "partly"  # three months is the EPC minimum; each state's period is unchecked
    unitary = _route(routes, "unitary_effect")
    assert (unitary.status, unitary.office, unitary.deadline.date) == ("open", "EP", date(2026, 6, 20))
    assert "RO" in unitary.covers and "ES" not in unitary.covers
    late = _route(routes_for(held.families["F1"], "FR", date(2026, 7, 1)), "unitary_effect")
    assert late.status == "closed" and "Rule 22 UPR" in late.remedies[0]


def test_a_protected_market_has_no_routes(tmp_path):
    held = portfolio(
        tmp_path,
        "F1,2023-03-15,EP,granted,EP1,2023-10-05,direct,2026-05-20,,,,DE,no,,",
    )
    assert routes_for(held.families["F1"], "DE", AS_OF) == []
