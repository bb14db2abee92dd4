"""PCT time limits are dated: Germany's national phase was 30 months until 2022-04-30 and is 31
months from 2022-05-01, and the row that governs an application is chosen by the date its
30-month limit expires (DPMA Notice No. 3/2022, as reported by secondary sources: NOT VERIFIED)."""

from __future__ import annotations

from datetime import date

import pytest

from patentreach.protect.routes import routes_for
from patentreach.refdata.pct_limits import pct_limit, pct_limit_for, pct_limit_history
from tests.protect.builders import portfolio


def _de_route(tmp_path, priority: str, pct: str, as_of: date):
    held = portfolio(tmp_path, f"F1,{priority},CN,pending,X1,{priority},direct,,PCT/X1,{pct},I,,,F04D 15/00,CN")
    found = [r for r in routes_for(held.families["F1"], "DE", as_of) if r.route == "pct_national"]
    assert len(found) == 1
    return found[0]


def test_germany_has_two_dated_rows_and_today_is_31_months():
    rows = pct_limit_history()["DE"]
    assert [(r.chapter1_months, r.valid_from, r.valid_to) for r in rows] == [
        (30, None, date(2022, 4, 30)), (31, date(2022, 5, 1), None)]
    assert pct_limit("DE").chapter1_months == 31
    assert rows[0].verified == "NOT VERIFIED"


@pytest.mark.parametrize(("priority", "months"), [
    ("2017-06-15", 30),  # limit 2019-12-15: long before the change
    ("2019-10-30", 30),  # limit 2022-04-30 expired before 2022-05-01
    ("2019-10-31", 30),  # limit 2022-04-30 (31 April does not exist): still the old rule
    ("2019-11-01", 31),  # limit would be 2022-05-01: not expired before the change
    ("2021-01-10", 31),
])
def test_the_rule_is_the_one_in_force_when_the_30_month_limit_expires(priority, months):
    assert pct_limit_for("DE", date.fromisoformat(priority)).chapter1_months == months


def test_germany_30_months_before_the_change_ends_saturday_30_april_2022(tmp_path):
    route = _de_route(tmp_path, "2019-10-30", "2020-10-29", date(2022, 4, 1))
    assert route.deadline.date == date(2022, 4, 30)
    assert route.status == "open"
    assert route.verified == "NOT VERIFIED"
    assert any("in force ... to 2022-04-30" in line for line in route.deadline.unverified)


def test_germany_31_months_after_the_change(tmp_path):
    route = _de_route(tmp_path, "2019-11-01", "2020-10-30", date(2022, 4, 1))
    assert route.deadline.date == date(2022, 6, 1)
    assert route.reason == ""
    assert any("in force 2022-05-01 to ..." in line for line in route.deadline.unverified)


def test_germany_after_the_change_the_31_month_limit_closes_the_route(tmp_path):
    route = _de_route(tmp_path, "2021-01-10", "2022-01-07", date(2023, 9, 1))
    assert route.deadline.date == date(2023, 8, 10)
    assert route.status == "closed"
    assert route.reason.startswith("the 31-month national phase time limit ended 2023-08-10")


def test_an_undated_office_keeps_its_single_row():
    assert pct_limit_for("JP", date(2010, 1, 1)) is pct_limit("JP")
    assert pct_limit_for("XX", date(2010, 1, 1)) is None
