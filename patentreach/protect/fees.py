"""What a filing route roughly costs in official fees, from a dated fee table.

The fee of a route is the sum of the table's items for the route's office that name the route
(and, for extension and validation fees, the market). Amounts stay in the office's currency and
are labelled "official fees only": attorneys' fees, translations and renewals are not in them.
An item whose amount the table does not know makes the total *partial*; a route with no item at
all is *unknown*. Neither is ever shown as zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from patentreach.protect.deadlines import weakest
from patentreach.refdata.official_fees import FeeItem, official_fees

LABEL = "official fees only"


@dataclass(frozen=True, slots=True)
class FeeEstimate:
    office: str
    route: str
    market: str
    status: str  # known | partial | unknown
    amount: float | None  # sum of the known amounts; None when nothing is known
    currency: str | None
    items: tuple[FeeItem, ...]
    note: str

    def as_dict(self) -> dict[str, object]:
        checked = sorted({item.checked for item in self.items if item.checked})
        return {
            "label": LABEL,
            "office": self.office,
            "status": self.status,
            "amount": self.amount,
            "currency": self.currency,
            "table_checked": checked[-1] if checked else None,
            "effective_from": sorted({item.effective_from for item in self.items if item.effective_from}),
            "verified": weakest(item.verified for item in self.items) if self.items else None,
            "note": self.note,
            "items": [
                {
                    "item": item.item,
                    "amount": item.amount,
                    "per_claim": item.per_claim,
                    "as_written": item.amount_text,
                    "currency": item.currency,
                    "effective_from": item.effective_from,
                    "source": item.source,
                    "verified": item.verified,
                }
                for item in self.items
            ],
        }

    def text(self) -> str:
        """One line for tables: ``EUR 5,335 (official fees only, partial)`` or ``unknown``."""
        if self.status == "unknown" or self.amount is None:
            return f"unknown ({LABEL})"
        amount = f"{self.currency} {self.amount:,.0f}"
        return f"{amount} ({LABEL})" if self.status == "known" else f"at least {amount} ({LABEL}, partial)"


def estimate_fee(route: str, office: str, market: str, table: tuple[FeeItem, ...] | None = None) -> FeeEstimate:
    """The official fees of taking ``route`` at ``office`` for ``market``."""
    items = tuple(
        item
        for item in (official_fees() if table is None else table)
        if item.office == office and route in item.routes and (not item.market or item.market == market)
    )
    if not items:
        return FeeEstimate(office, route, market, "unknown", None, None, (),
                           f"no fee of office {office} for this route in the fee table")
    known = [item for item in items if item.amount is not None]
    currencies = sorted({item.currency for item in items if item.currency})
    amount = sum(item.amount for item in known) if known else None  # type: ignore[misc]
    missing = [item.item for item in items if item.amount is None]
    per_claim = [item for item in items if item.per_claim is not None and item.amount is not None]
    notes = []
    if missing:
        notes.append("amount not known: " + "; ".join(missing))
    if per_claim:
        notes.append("plus per-claim fees: " + "; ".join(f"{item.item} ({item.amount_text})" for item in per_claim))
    if len(currencies) > 1:
        notes.append("items in several currencies: " + ", ".join(currencies))
    status = "unknown" if amount is None else ("known" if not missing and not per_claim else "partial")
    return FeeEstimate(
        office=office,
        route=route,
        market=market,
        status=status,
        amount=amount,
        currency=currencies[0] if len(currencies) == 1 else None,
        items=items,
        note="; ".join(notes),
    )
