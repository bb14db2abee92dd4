"""Renewal fees due in the coming year for the rights that protect (or may protect) each market.

For every export market, each filing of the market's families that protects it or is pending
there (``coverage.filing_effect``) is kept alive by renewals at one office: its own office for a
national right, the state's office for a granted European patent (renewals are national after
grant), the EPO for a pending European application, the regional office for an EA/AP/OA/GC
patent. The office's rows in ``renewal_fees.csv`` give which years of the term carry a fee, the
amount in force on the due date and the due-date rule (``refdata.renewal_fees``); the rows due
after ``as_of`` and up to one year later are listed. An office without rows gives one row saying
so: a renewal is never left out silently, and an unknown amount is "unknown", never 0.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date

from patentreach.protect.coverage import filing_date, filing_effect, term_end
from patentreach.protect.markets import ExportMarkets
from patentreach.protect.month_arithmetic import add_months, add_years
from patentreach.protect.portfolio import Family, Filing, Portfolio
from patentreach.protect.regional_reach import unitary_states
from patentreach.refdata.renewal_fees import RenewalFee, fee_for, office_renewals

UNKNOWN = "unknown"
UNITARY = "EP (unitary)"


@dataclass(frozen=True, slots=True)
class Renewal:
    family: str
    office: str
    application_number: str
    markets: tuple[str, ...]
    year: int | None  # the year of the term the fee is for (None: the office has no rows)
    due: date | None
    amount: float | None
    currency: str | None
    fee_text: str
    verified: str
    source: str
    note: str

    def as_dict(self) -> dict[str, object]:
        return {
            "family": self.family, "office": self.office, "application_number": self.application_number,
            "markets": list(self.markets), "year": self.year, "due": self.due.isoformat() if self.due else None,
            "amount": self.amount, "currency": self.currency, "fee": self.fee_text, "verified": self.verified,
            "source": self.source, "note": self.note,
        }


def renewal_office(filing: Filing, country: str) -> str:
    """The office whose renewals keep ``filing`` alive in ``country`` (``UNITARY`` for a unitary patent)."""
    if filing.office == "EP" and filing.status == "granted":
        if filing.unitary_effect and filing.grant_date and country in unitary_states(filing.grant_date):
            return UNITARY
        return country
    return filing.office


def due_date(fee: RenewalFee, year: int, start: date, grant: date | None) -> date | None:
    """When the fee for ``year`` of the term falls due under the office's rule (None: no grant date)."""
    if fee.due_rule == "grant_months":
        return add_months(grant, fee.due_months or 0) if grant else None
    if fee.due_rule == "grant_anniversary":
        return add_years(grant, year - 1) if grant else None
    day = add_years(start, year - 1)
    if fee.due_rule == "filing_anniversary_month_end":
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day


def renewals_due(portfolio: Portfolio, markets: ExportMarkets, as_of: date) -> list[Renewal]:
    """Renewals falling due after ``as_of`` and up to a year later, one row per right and due date."""
    horizon = add_years(as_of, 1)
    found: dict[tuple, Renewal] = {}
    for market in markets.markets:
        for name in markets.families.get(market.product_line, ()):
            family = portfolio.families.get(name)
            if family is None:
                continue
            for filing in family.filings:
                effect = filing_effect(filing, family, market.country, as_of)
                if effect is None or effect.status not in ("protected", "pending"):
                    continue
                office = renewal_office(filing, market.country)
                for renewal in _for_right(family, filing, office, as_of, horizon):
                    key = (renewal.family, renewal.office, renewal.application_number, renewal.due, renewal.year)
                    known = found.get(key)
                    markets_now = (*known.markets, market.country) if known else (market.country,)
                    found[key] = replace(renewal, markets=tuple(dict.fromkeys(markets_now)))
    return sorted(found.values(), key=lambda r: (r.due or date.max, r.family, r.office))


def _for_right(family: Family, filing: Filing, office: str, as_of: date, horizon: date) -> list[Renewal]:
    number = filing.application_number or ""
    rows = office_renewals(office)
    if office == UNITARY:
        return [Renewal(family.family, office, number, (), None, None, None, "EUR", UNKNOWN, "NOT VERIFIED",
                        "renewal_fees.csv", "unitary patent: one renewal fee a year to the EPO for every participating "
                        "state (Rule 13 Rules relating to Fees UPP); amounts and due dates not in the table")]
    if not rows:
        return [Renewal(family.family, office, number, (), None, None, None, None, UNKNOWN, "NOT VERIFIED",
                        "renewal_fees.csv", f"no renewal fee rows for office {office}: due dates and amounts unknown")]
    start, _ = filing_date(filing, family)
    end = term_end(filing, family)
    out = []
    for year in sorted({y for fee in rows for y in range(fee.year_from, fee.year_to + 1)}):
        template = next(fee for fee in rows if fee.year_from <= year <= fee.year_to)
        due = due_date(template, year, start, filing.grant_date)
        if due is None:
            if template.due_rule.startswith("grant") and filing.status == "pending":
                continue  # renewals counted from grant start once granted
            out.append(Renewal(family.family, office, number, (), year, None, None, template.currency, UNKNOWN,
                               template.verified, template.source, "grant date not known: due date unknown"))
            break
        if not as_of < due <= horizon or due >= end:
            continue
        fee = fee_for(office, year, due) or template
        out.append(Renewal(family.family, office, number, (), year, due, fee.amount, fee.currency, _text(fee),
                           fee.verified, fee.source, f"{fee.due_rule.replace('_', ' ')}; {fee.note}"))
    return out


def _text(fee: RenewalFee) -> str:
    if fee.amount is None:
        return UNKNOWN
    text = f"{fee.currency} {fee.amount:,.0f}"
    return text + (f" + {fee.per_claim:,.0f} per claim" if fee.per_claim else "")


def renewal_totals(renewals: list[Renewal]) -> tuple[dict[str, float], int]:
    """Known amounts summed per currency (never converted), and the count of unknown amounts."""
    totals: dict[str, float] = {}
    unknown = 0
    for renewal in renewals:
        if renewal.amount is None or renewal.currency is None:
            unknown += 1
        else:
            totals[renewal.currency] = totals.get(renewal.currency, 0.0) + renewal.amount
    return dict(sorted(totals.items())), unknown
