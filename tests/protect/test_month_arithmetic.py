"""PCT Rule 80.2 month arithmetic: same day of the month, else the month's last day."""

from __future__ import annotations

from datetime import date

import pytest

from patentreach.protect.month_arithmetic import add_months, add_years


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 30, date(2026, 7, 31)),  # issue 8: 30-month national phase
        (date(2024, 1, 31), 31, date(2026, 8, 31)),  # issue 8: 31 months (EP)
        (date(2023, 8, 31), 30, date(2026, 2, 28)),  # issue 8: no 31 February -> last day
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year February
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 15), 12, date(2025, 3, 15)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
    ],
)
def test_months_land_on_the_same_day_or_the_last_day_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


def test_a_year_from_29_february_ends_on_28_february():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
