"""The end of a patent's term: 20 years from filing, adjusted where the data says how.

* the start is the application's filing date, or the international filing date for a PCT national
  or regional phase entry (PCT Art. 11(3): the international filing date is the filing date in
  every designated state; TRIPS Art. 33 counts the 20 years from it);
* plus US patent term adjustment (35 U.S.C. 154(b)), in days, when the data has it;
* capped by a terminal disclaimer's date (37 CFR 1.321) when the data has it;
* extended to a supplementary protection certificate's or a term extension's expiry when an event
  gives one (``spc_patent_expiry_date``); an SPC is per state, so only that state's row moves.

Design patents (15 years from grant in the US since 2015) and utility models (6 to 10 years) are
not handled: their rows say so in the reason instead of a wrong date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

TERM_YEARS = 20


def add_years(start: date, years: int) -> date:
    """``start`` plus whole years; 29 February becomes 28 February in a common year."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


@dataclass(frozen=True, slots=True)
class Term:
    expiry: date | None
    basis: str  # one line: how the expiry was computed


def term_end(
    filing_date: date | None,
    international_filing_date: date | None = None,
    pta_days: int | None = None,
    terminal_disclaimer: date | None = None,
    extension_until: date | None = None,
) -> Term:
    start = international_filing_date or filing_date
    if start is None:
        return Term(None, "no filing date: expiry unknown")
    basis = [f"20 years from the {'international ' if international_filing_date else ''}filing date "
             f"{start.isoformat()}"]
    expiry = add_years(start, TERM_YEARS)
    if pta_days:
        expiry += timedelta(days=pta_days)
        basis.append(f"+ {pta_days} days of patent term adjustment")
    if terminal_disclaimer is not None and terminal_disclaimer < expiry:
        expiry = terminal_disclaimer
        basis.append(f"cut to {terminal_disclaimer.isoformat()} by a terminal disclaimer")
    if extension_until is not None and extension_until > expiry:
        expiry = extension_until
        basis.append(f"extended to {extension_until.isoformat()} (SPC / term extension)")
    return Term(expiry, " ".join(basis))
