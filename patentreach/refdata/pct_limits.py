"""PCT national and regional phase time limits per office, as dated reference rows.

The rows are WIPO's time-limit table as researched in ``../shared/reference/filing-rules/`` (see
``docs/protect.md``): months from the priority date under Chapter I (Art. 22) and Chapter II
(Art. 39(1)), an optional late-entry limit, whether the national route is open, and the regional
office that also (or only) reaches the country. A month cell such as ``31 (via EP)`` means the
national route is closed and the country is reached only through that regional office; the number
is the regional office's limit, so this module gives no national months for it.

Limits change (Germany: 30 months until 2022-04-30, 31 from 2022-05-01), so rows are dated
(``valid_from`` / ``valid_to``; empty is open-ended). Which row governs an application is decided
by the date its earlier limit expires, not by its priority date: a newer row applies when the
limit counted under the row in force before it had not expired before the newer row's
``valid_from`` (DPMA Notice No. 3/2022 for Germany; assumed for any other change, NOT VERIFIED).
``pct_limit_for(office, priority_date)`` applies that; ``pct_limit(office)`` is today's row.

Every row keeps its ``verified`` value (``yes`` or ``NOT VERIFIED``) and the research's own
``verification`` text, so a deadline computed from a row can say how far to trust it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from patentreach.refdata.loader import cached, load_table, parse_date

_PLAIN_MONTHS = re.compile(r"^\d{1,2}$")


@dataclass(frozen=True, slots=True)
class PctLimit:
    office: str
    name: str
    chapter1_months: int | None  # None: no national months (route closed, or not a number)
    chapter2_months: int | None
    late_entry_months: int | None  # a late-entry outer limit on payment of a fee, when numeric
    late_entry_text: str  # the cell as written (e.g. a note that the months are not verified)
    national_route: str  # open | closed | regional office
    regional_route: str  # e.g. EP, OA, "EP (validation state)", "CH or EP"
    notes: str
    source: str
    checked: str
    verified: str  # yes | NOT VERIFIED
    verification: str  # the research's own words
    valid_from: date | None = None  # None: since the office joined the table
    valid_to: date | None = None  # None: still in force

    @property
    def national_open(self) -> bool:
        return self.national_route == "open"

    @property
    def is_regional_office(self) -> bool:
        return self.national_route == "regional office"

    def months(self, chapter: str = "I") -> int | None:
        """Months from the priority date for Chapter I or II (None when not a plain number)."""
        return self.chapter2_months if chapter.upper() == "II" else self.chapter1_months


def _months(text: str) -> int | None:
    text = text.strip()
    return int(text) if _PLAIN_MONTHS.match(text) else None


@cached
def pct_limit_history() -> dict[str, tuple[PctLimit, ...]]:
    """Every office's rows, oldest first, by ST.3 code."""
    table: dict[str, list[PctLimit]] = {}
    for row in load_table("pct_national_phase_limits"):
        code = row["office_code"].strip().upper()
        table.setdefault(code, []).append(PctLimit(
            office=code,
            name=row.get("office_name", ""),
            chapter1_months=_months(row.get("chapter1_months", "")),
            chapter2_months=_months(row.get("chapter2_months", "")),
            late_entry_months=_months(row.get("late_entry_max_months", "")),
            late_entry_text=row.get("late_entry_max_months", ""),
            national_route=row.get("national_route", "").strip().lower(),
            regional_route=row.get("regional_route", ""),
            notes=row.get("notes", ""),
            source=row.get("source", ""),
            checked=row.get("checked", ""),
            verified=row.get("verified", "") or "NOT VERIFIED",
            verification=row.get("verification", ""),
            valid_from=parse_date(row.get("valid_from", "")),
            valid_to=parse_date(row.get("valid_to", "")),
        ))
    return {code: tuple(sorted(rows, key=lambda r: r.valid_from or date.min)) for code, rows in table.items()}


@cached
def pct_limits() -> dict[str, PctLimit]:
    """Every office's row in force today (its latest row), by ST.3 code."""
    return {code: rows[-1] for code, rows in pct_limit_history().items()}


def pct_limit_for(office: str, priority_date: date, chapter: str = "I") -> PctLimit | None:
    """The row governing an application with this priority date (see the module docstring).

    Start from the row in force on the priority date; move to the next row while the limit counted
    under the current row (priority date + its months, before any working-day extension) falls on
    or after the next row's ``valid_from``.
    """
    rows = pct_limit_history().get(office.strip().upper())
    if not rows:
        return None
    current = next((row for row in reversed(rows) if (row.valid_from or date.min) <= priority_date), rows[0])
    for later in rows[rows.index(current) + 1:]:
        months = current.months(chapter)
        if months is None or later.valid_from is None or _plus_months(priority_date, months) < later.valid_from:
            break
        current = later
    return current


def pct_limit(office: str) -> PctLimit | None:
    """The row of one office (ST.3 code), or None when the office is not a PCT designated office."""
    return pct_limits().get(office.strip().upper())


def _plus_months(start: date, months: int) -> date:
    """PCT Rule 80.2 month counting (the same as ``protect.month_arithmetic.add_months``, which
    this lower layer cannot import)."""
    year, month = divmod(start.year * 12 + start.month - 1 + months, 12)
    return date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))
