"""Official fees per office from a dated fee table: what each filing route roughly costs.

Rows of ``official_fees.csv`` (or a user's file in the same columns) name the office, the fee
item, its amount as written (``amount_text``), the amount as a number when it is one
(``amount``; plus ``per_claim`` when the fee grows with the claims), the currency, the date the
amount took effect, the routes it applies to and, for extension and validation fees, the market.
A row without a numeric ``amount`` is an unknown amount: it is carried as unknown, never as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from patentreach.refdata.loader import cached, load_table, read_csv

REQUIRED_COLUMNS = ("office_code", "item", "amount", "currency", "routes")


@dataclass(frozen=True, slots=True)
class FeeItem:
    office: str  # ST.3 code
    office_name: str
    item: str
    entity: str
    amount: float | None
    per_claim: float | None
    amount_text: str
    currency: str
    effective_from: str
    routes: tuple[str, ...]
    market: str  # empty: any market
    source: str
    checked: str
    verified: str
    note: str


def _number(text: str) -> float | None:
    text = text.strip().replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _item(row: dict[str, str]) -> FeeItem:
    return FeeItem(
        office=row["office_code"].strip().upper(),
        office_name=row.get("office", ""),
        item=row["item"],
        entity=row.get("entity", ""),
        amount=_number(row.get("amount", "")),
        per_claim=_number(row.get("per_claim", "")),
        amount_text=row.get("amount_text", "") or row.get("amount", ""),
        currency=row.get("currency", ""),
        effective_from=row.get("effective_from", ""),
        routes=tuple(row.get("routes", "").split()),
        market=row.get("market", "").strip().upper(),
        source=row.get("source", ""),
        checked=row.get("checked", ""),
        verified=row.get("verified", "") or "NOT VERIFIED",
        note=row.get("note", "") or row.get("notes", ""),
    )


@cached
def official_fees() -> tuple[FeeItem, ...]:
    """The packaged fee table (after any ``PATENTREACH_REFDATA`` override)."""
    return tuple(_item(row) for row in load_table("official_fees"))


def read_fee_file(path: Path) -> tuple[FeeItem, ...]:
    """A user's fee table that replaces the packaged one; it must have the required columns."""
    header, rows = read_csv(path)
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ValueError(
            f"{path}: fee table lacks column(s) {missing}; expected the columns of official_fees.csv "
            f"({', '.join(REQUIRED_COLUMNS)}, ...)"
        )
    return tuple(_item(row) for row in rows)
