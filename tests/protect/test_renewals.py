"""Renewal fees due in the coming year per market, from the dated renewal fee table: due dates by
each office's rule, the amount in force on the due date, unknown never 0 (issue 21)."""

from __future__ import annotations

from datetime import date

from patentreach.protect import gaps
from patentreach.protect.report_data import RENEWAL_COLUMNS, renewal_rows, report_dict
from patentreach.refdata.renewal_fees import fee_for
from tests.protect.builders import markets, portfolio

AS_OF = date(2026, 6, 1)
ROWS = (
    "F1,2015-03-02,CN,granted,201510001,2015-03-02,direct,2017-01-10,,,,,,F04D 15/00,CN",
    "F1,2015-03-02,GB,granted,GB1604001.5,2016-03-01,direct,2018-05-02,,,,,,F04D 15/00,CN",
    "F1,2015-03-02,EP,granted,EP16000001.2,2016-03-01,direct,2018-06-06,,,,DE,,F04D 15/00,CN",
    "F1,2015-03-02,US,granted,16/000001,2016-03-01,direct,2019-01-15,,,,,,F04D 15/00,CN",
    "F1,2015-03-02,BR,granted,BR1020160001,2016-03-01,direct,2020-06-06,,,,,,F04D 15/00,CN",
    "F2,2023-02-10,CN,pending,202310002,2023-02-10,direct,,,,,,,F04D 15/00,CN",
    "F2,2023-02-10,EP,pending,EP24000002.0,2024-02-10,direct,,,,,,,F04D 15/00,CN",
)


def _report(tmp_path, *countries):
    held = portfolio(tmp_path, *ROWS)
    rows = [f"pumps,{c},8413,1000,USD,F1; F2" for c in countries]
    return gaps(held, markets(tmp_path, held, *rows), AS_OF)


def _by(report):
    return {(r.family, r.office): r for r in report.renewals}


def test_each_office_rule_gives_the_due_date_and_the_fee_of_that_year(tmp_path):
    found = _by(_report(tmp_path, "CN", "DE", "GB", "US", "BR"))
    cn = found[("F1", "CN")]  # filing anniversary: year 13 starts 2027-03-02
    assert (cn.due, cn.year, cn.amount, cn.currency) == (date(2027, 3, 2), 13, 6000.0, "CNY")
    de = found[("F1", "DE")]  # EP granted: national renewals at DE, month end of the EP filing anniversary
    assert (de.due, de.year, de.amount, de.fee_text) == (date(2027, 3, 31), 12, 620.0, "EUR 620")
    us = found[("F1", "US")]  # 7.5-year maintenance fee: 90 months from grant
    assert (us.due, us.amount, us.currency) == (date(2026, 7, 15), 4040.0, "USD")
    gb = found[("F1", "GB")]
    assert (gb.due, gb.year, gb.amount, gb.fee_text) == (date(2027, 3, 31), 12, None, "unknown")
    assert all(r.verified == "NOT VERIFIED" for r in found.values())


def test_an_office_without_rows_is_said_not_left_out(tmp_path):
    br = _by(_report(tmp_path, "BR"))[("F1", "BR")]
    assert (br.due, br.amount, br.fee_text) == (None, None, "unknown")
    assert br.note == "no renewal fee rows for office BR: due dates and amounts unknown"


def test_a_pending_ep_application_pays_one_renewal_for_every_market(tmp_path):
    report = _report(tmp_path, "DE", "FR")
    ep = _by(report)[("F2", "EP")]
    assert (ep.due, ep.year, ep.amount, ep.markets) == (date(2027, 2, 28), 4, 845.0, ("DE", "FR"))


def test_a_pending_cn_application_counts_years_from_filing(tmp_path):
    cn = _by(_report(tmp_path, "CN"))[("F2", "CN")]
    assert (cn.due, cn.year, cn.amount) == (date(2027, 2, 10), 5, 1200.0)


def test_totals_are_per_currency_and_unknowns_are_counted(tmp_path):
    report = _report(tmp_path, "CN", "DE", "GB", "US", "BR")
    assert report.summary["renewal_fees_next_year"] == {"CNY": 7200.0, "EUR": 1465.0, "USD": 4040.0}  # DE 620 + EP 845
    assert report.summary["renewal_fees_unknown"] == 2
    assert report.summary["renewals_next_year"] == 7


def test_renewals_are_in_the_json_and_the_rows(tmp_path):
    report = _report(tmp_path, "US")
    assert report_dict(report)["renewals"][0]["due"] == "2026-07-15"
    assert renewal_rows(report)[0][:7] == ("2026-07-15", "F1", "US", "16/000001", "US", 8, "USD 4,040")
    assert len(RENEWAL_COLUMNS) == len(renewal_rows(report)[0])


def test_the_fee_in_force_on_the_due_date_is_used():
    assert fee_for("EP", 4, date(2024, 4, 1)).amount == 845.0
    assert fee_for("EP", 4, date(2024, 3, 31)) is None  # before the only dated schedule: not guessed


def test_a_unitary_patent_pays_the_epo_and_the_amount_is_said_unknown(tmp_path):
    held = portfolio(tmp_path, "U1,2022-03-02,EP,granted,EP23000009.9,2023-03-01,direct,2024-09-11,,,,,yes,,CN")
    report = gaps(held, markets(tmp_path, held, "pumps,DE,8413,1000,USD,U1"), AS_OF)
    assert report.coverage[0].status == "protected"
    [renewal] = report.renewals
    assert (renewal.office, renewal.due, renewal.fee_text) == ("EP (unitary)", None, "unknown")
    assert renewal.note.startswith("unitary patent: one renewal fee a year to the EPO")
