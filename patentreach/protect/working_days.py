"""Whether a deadline that falls on a closed day moves to the office's next working day.

PCT Rule 80.5, Paris Convention Art. 4C(3) and Rule 134(1) EPC all say the same thing: a period
that ends on a day the office is closed ends on its next working day. Which days an office is
closed is known here only for national offices whose country the ``holidays`` package covers
(its national public holidays and weekend, including swapped working weekends such as China's).
Regional offices (EP, EA, AP, OA, GC) and the International Bureau publish their own closing
days, which this package does not have: for them the extension is *not computed* and the result
says so, rather than guessing.

National public holidays leave out regional ones (Bavaria's for the DPMA in Munich, for
example), so an extension shown here is never later than the real one: the unextended deadline
stays the date to plan for, the extension is a fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays

NOT_NATIONAL = frozenset({"EP", "EA", "AP", "OA", "GC", "WO", "IB"})


@dataclass(frozen=True, slots=True)
class WorkingDay:
    """A deadline and, when the office's closing days are known, the day it really expires."""

    office: str
    deadline: date
    expires: date | None  # next working day on or after the deadline; None when not known
    known: bool
    basis: str  # what the extension rests on, or why it is not known

    @property
    def extended(self) -> bool:
        return self.expires is not None and self.expires != self.deadline


@cache
def _calendar(office: str) -> holidays.HolidayBase | None:
    if office in NOT_NATIONAL or office not in holidays.list_supported_countries():
        return None
    return holidays.country_holidays(office)


def _is_working_day(days: holidays.HolidayBase, day: date) -> bool:
    """Not a holiday, and not a weekend day unless the country declared it a working day."""
    if day in days:
        return False
    weekend = getattr(days, "weekend", {5, 6})
    return day.weekday() not in weekend or day in getattr(days, "weekend_workdays", set())


def holidays_known(office: str) -> bool:
    """Whether this office's closing days are known here (a national office of a covered country)."""
    return _calendar(office.strip().upper()) is not None


def next_working_day(office: str, deadline: date) -> WorkingDay:
    """The day a period ending on ``deadline`` expires at ``office`` (Rule 80.5), when known."""
    code = office.strip().upper()
    days = _calendar(code)
    if days is None:
        return WorkingDay(
            office=code,
            deadline=deadline,
            expires=None,
            known=False,
            basis=f"closing days of office {code} not known here: if {deadline.isoformat()} is a day it "
            "is closed, the period ends on its next working day (PCT Rule 80.5) - check with the office",
        )
    day = deadline
    while not _is_working_day(days, day):
        day += timedelta(days=1)
    reason = ""
    if day != deadline:
        closed = days.get(deadline) or "weekend"
        reason = f"; {deadline.isoformat()} is not a working day ({closed})"
    return WorkingDay(
        office=code,
        deadline=deadline,
        expires=day,
        known=True,
        basis=f"national public holidays and weekend of {code} (holidays {holidays.__version__}){reason}",
    )
