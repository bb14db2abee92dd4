"""Dates in a portfolio that cannot be true as of the assessment date, said aloud.

A portfolio is typed by people, and a slipped digit in a year (2052 for 2025, 1025 for 2025)
still parses as a date. Such a date is not refused - the rest of the portfolio is still worth
assessing - but it changes deadlines and coverage, so the report carries a warning naming the
row, the column and what is wrong:

* a grant date (or application date) after the assessment date (``--as-of``): a grant that has
  not happened yet;
* a priority date before 1883 (the Paris Convention, which created the right of priority) or
  after the assessment date.
"""

from __future__ import annotations

from datetime import date

from patentreach.protect.portfolio import Family, Portfolio

PARIS_CONVENTION_YEAR = 1883


def date_warnings(portfolio: Portfolio, as_of: date) -> list[str]:
    """One warning per impossible date, in portfolio order."""
    warnings: list[str] = []
    for family in portfolio.families.values():
        where = _first_origin(family)
        priority = family.priority_date
        if priority.year < PARIS_CONVENTION_YEAR:
            warnings.append(f"{where}, column priority_date: {priority} is before {PARIS_CONVENTION_YEAR} "
                            "(the Paris Convention): check the year")
        elif priority > as_of:
            warnings.append(f"{where}, column priority_date: {priority} is after the assessment date {as_of} "
                            "(--as-of): check the year")
        for filing in family.filings:
            for column, value in (("application_date", filing.application_date), ("grant_date", filing.grant_date)):
                if value is not None and value > as_of:
                    warnings.append(f"{filing.origin or family.family}, column {column}: {value} is after the "
                                    f"assessment date {as_of} (--as-of): check the year")
    return warnings


def _first_origin(family: Family) -> str:
    origins = [filing.origin for filing in family.filings if filing.origin]
    return origins[0] if origins else f"family {family.family}"
