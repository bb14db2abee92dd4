"""Periods in months and years, counted as PCT Rule 80.1 and 80.2 count them.

A period of N months from an event expires in the N-th following month on the day with the same
number as the event's day; when that month has no such day (31 January + 1 month), it expires on
the month's last day. Years are twelve months (Rule 80.1 reads the same way). The event's own day
is not counted, which this rule already reflects: the period ends on, not after, the same-numbered
day. Patent offices, the Paris Convention (Art. 4C) and the EPC (Rule 131) count the same way.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """``start`` + ``months`` by Rule 80.2: same day number, else the month's last day.

    >>> add_months(date(2024, 1, 31), 30)
    datetime.date(2026, 7, 31)
    >>> add_months(date(2023, 8, 31), 30)
    datetime.date(2026, 2, 28)
    """
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last))


def add_years(start: date, years: int) -> date:
    """``start`` + ``years`` by Rule 80.1 (29 February + 1 year = 28 February)."""
    return add_months(start, 12 * years)
