"""``--weeks 2021-01..2021-52`` and ``--dates 2021-01-01..2021-03-31`` as one closed date range.

Weeks are ISO 8601 weeks (Monday to Sunday), the weeks the offices number their weekly files by
(USPTO grants are issued on Tuesdays, applications published on Thursdays, EP publications on
Wednesdays: each falls inside its ISO week).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_WEEK = re.compile(r"^(\d{4})-?W?(\d{1,2})$")


class PeriodError(ValueError):
    """A --weeks or --dates value that does not parse; the message shows the expected form."""


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def _split(text: str, option: str) -> tuple[str, str]:
    first, sep, last = text.strip().partition("..")
    if not sep:
        return first, first
    if not first or not last:
        raise PeriodError(f"{option} {text!r}: give FROM..TO")
    return first.strip(), last.strip()


def _week_start(text: str) -> date:
    match = _WEEK.match(text)
    if not match:
        raise PeriodError(f"--weeks: {text!r} is not a week; write YYYY-WW, e.g. 2021-01..2021-52")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        raise PeriodError(f"--weeks: {year} has no ISO week {week}") from None


def parse_weeks(text: str) -> Period:
    """``2021-01..2021-52`` (or one week ``2021-07``): Monday of the first to Sunday of the last."""
    first, last = _split(text, "--weeks")
    return _ordered(_week_start(first), _week_start(last) + timedelta(days=6), f"--weeks {text}")


def parse_dates(text: str) -> Period:
    """``2021-01-01..2021-03-31`` (or one day), both ends included."""
    first, last = _split(text, "--dates")
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        raise PeriodError(f"--dates {text!r}: write YYYY-MM-DD..YYYY-MM-DD") from None
    return _ordered(start, end, f"--dates {text}")


def _ordered(start: date, end: date, what: str) -> Period:
    if end < start:
        raise PeriodError(f"{what}: the end {end} is before the start {start}")
    return Period(start, end)


def choose(weeks: str | None, dates: str | None) -> Period:
    """The period of ``--weeks`` or ``--dates``: exactly one of them is required."""
    if weeks and dates:
        raise PeriodError("give --weeks or --dates, not both")
    if weeks:
        return parse_weeks(weeks)
    if dates:
        return parse_dates(dates)
    raise PeriodError("give --weeks YYYY-WW..YYYY-WW or --dates YYYY-MM-DD..YYYY-MM-DD")
