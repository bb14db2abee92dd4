"""How long a lapsed patent (or a lost application) can still be restored, per office.

Each row of ``restoration_rules.csv`` names the remedy (restoration, re-establishment,
revival), its window in months counted from the lapse date (``window_months``; empty when the
law sets no fixed outer limit, and then ``window_text`` says so), its legal basis, the fee when
known (else ``unknown``, never 0), the source and whether it is verified. Every row written in
this session is NOT VERIFIED: the law was recalled, not retrieved.
"""

from __future__ import annotations

from dataclasses import dataclass

from patentreach.refdata.loader import cached
from patentreach.refdata.protect_tables import table_rows


@dataclass(frozen=True, slots=True)
class RestorationRule:
    office: str
    remedy: str
    window_months: int | None  # None: no fixed outer limit (see window_text)
    counted_from: str
    window_text: str
    legal_basis: str
    fee_amount: float | None  # None: unknown
    fee_currency: str
    fee_text: str
    source: str
    checked: str
    verified: str
    note: str


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _float(text: str) -> float | None:
    try:
        return float(text.replace(",", "")) if text.strip() else None
    except ValueError:
        return None


@cached
def restoration_rules() -> dict[str, RestorationRule]:
    """The rule per office (ST.3 code)."""
    return {
        row["office_code"].strip().upper(): RestorationRule(
            office=row["office_code"].strip().upper(),
            remedy=row.get("remedy", ""),
            window_months=_int(row.get("window_months", "")),
            counted_from=row.get("counted_from", ""),
            window_text=row.get("window_text", ""),
            legal_basis=row.get("legal_basis", ""),
            fee_amount=_float(row.get("fee_amount", "")),
            fee_currency=row.get("fee_currency", ""),
            fee_text=row.get("fee_text", "") or "unknown",
            source=row.get("source", ""),
            checked=row.get("checked", ""),
            verified=row.get("verified", "") or "NOT VERIFIED",
            note=row.get("note", ""),
        )
        for row in table_rows("restoration_rules")
    }


def restoration_rule(office: str) -> RestorationRule | None:
    return restoration_rules().get(office.strip().upper())
