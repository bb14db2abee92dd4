"""Renewal (annual, maintenance) fees per office and year of the term, from a dated table.

Each row of ``renewal_fees.csv`` gives an office, the years of the term it covers (``year_from``
to ``year_to``, years counted from the filing date; for the US the maintenance fee's year), the
amount as a number when known (else empty: unknown, never 0), a per-claim part, the currency, the
date the amount took effect, and the office's due-date rule:

* ``filing_anniversary``: the anniversary of the filing date (CN);
* ``filing_anniversary_month_end``: the last day of the month of the filing anniversary (EP, DE,
  GB, FR);
* ``grant_anniversary``: the anniversary of the grant (registration) date (JP, KR);
* ``grant_months``: ``due_months`` after the grant date (US maintenance fees at 3.5, 7.5, 11.5
  years).

The fee for year *n* falls due at the start of year *n* (the (n-1)-th anniversary). Every row
written in this session is NOT VERIFIED: amounts and rules were recalled, not retrieved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from patentreach.refdata.loader import cached, parse_date
from patentreach.refdata.protect_tables import table_rows

DUE_RULES = ("filing_anniversary", "filing_anniversary_month_end", "grant_anniversary", "grant_months")


@dataclass(frozen=True, slots=True)
class RenewalFee:
    office: str
    year_from: int
    year_to: int
    amount: float | None  # None: unknown
    per_claim: float | None
    amount_text: str
    currency: str
    valid_from: date | None
    due_rule: str
    due_months: int | None
    source: str
    checked: str
    verified: str
    note: str


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "")) if text.strip() else None
    except ValueError:
        return None


@cached
def renewal_fees() -> tuple[RenewalFee, ...]:
    fees = []
    for row in table_rows("renewal_fees"):
        rule = row.get("due_rule", "")
        if rule not in DUE_RULES:
            raise ValueError(f"renewal_fees.csv: office {row.get('office_code')}: due_rule {rule!r} is not one of "
                             f"{', '.join(DUE_RULES)}")
        fees.append(RenewalFee(
            office=row["office_code"].strip().upper(),
            year_from=int(row["year_from"]),
            year_to=int(row["year_to"]),
            amount=_number(row.get("amount", "")),
            per_claim=_number(row.get("per_claim", "")),
            amount_text=row.get("amount_text", "") or "unknown",
            currency=row.get("currency", ""),
            valid_from=parse_date(row.get("valid_from", "")),
            due_rule=rule,
            due_months=int(row["due_months"]) if row.get("due_months", "").strip() else None,
            source=row.get("source", ""),
            checked=row.get("checked", ""),
            verified=row.get("verified", "") or "NOT VERIFIED",
            note=row.get("note", ""),
        ))
    return tuple(fees)


def office_renewals(office: str) -> tuple[RenewalFee, ...]:
    return tuple(fee for fee in renewal_fees() if fee.office == office.strip().upper())


def fee_for(office: str, year: int, on: date) -> RenewalFee | None:
    """The row for year ``year`` of the term at ``office`` in force on ``on`` (latest ``valid_from``)."""
    rows = [fee for fee in office_renewals(office) if fee.year_from <= year <= fee.year_to
            and (fee.valid_from is None or fee.valid_from <= on)]
    return max(rows, key=lambda fee: fee.valid_from or date.min, default=None)
