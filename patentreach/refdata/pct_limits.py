"""PCT national and regional phase time limits per office, as dated reference rows.

The rows are WIPO's time-limit table as researched in ``../shared/reference/filing-rules/`` (see
``docs/protect.md``): months from the priority date under Chapter I (Art. 22) and Chapter II
(Art. 39(1)), an optional late-entry limit, whether the national route is open, and the regional
office that also (or only) reaches the country. A month cell such as ``31 (via EP)`` means the
national route is closed and the country is reached only through that regional office; the number
is the regional office's limit, so this module gives no national months for it.

Every row keeps its ``verified`` value (``yes`` or ``NOT VERIFIED``) and the research's own
``verification`` text, so a deadline computed from a row can say how far to trust it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from patentreach.refdata.loader import cached, load_table

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
def pct_limits() -> dict[str, PctLimit]:
    """Every office's row, by ST.3 code."""
    table = {}
    for row in load_table("pct_national_phase_limits"):
        code = row["office_code"].strip().upper()
        table[code] = PctLimit(
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
        )
    return table


def pct_limit(office: str) -> PctLimit | None:
    """The row of one office (ST.3 code), or None when the office is not a PCT designated office."""
    return pct_limits().get(office.strip().upper())
