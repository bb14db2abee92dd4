"""Export markets: which product line is sold in which country, for how much, under which families.

The export-markets file (CSV or XLSX) has one row per product line and country:

    product_line, country                         required
    hs_code, export_value, currency, families     optional

``families`` lists the portfolio families that cover the product line (``F1; F2``, or ``*`` for
every family of the portfolio); a product line's families are the union over its rows, so they
may be given once. ``export_value`` is the
annual value; values are summed per currency and never converted.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from patentreach.protect.input_tables import (
    Problems,
    check_columns,
    parse_number,
    read_rows,
    split_families,
)
from patentreach.refdata.countries import countries

REQUIRED = ("product_line", "country")
OPTIONAL = ("hs_code", "export_value", "currency", "families")


@dataclass(frozen=True, slots=True)
class Market:
    product_line: str
    country: str  # ISO 3166-1 alpha-2
    hs_code: str | None
    export_value: float | None
    currency: str | None
    origin: str


@dataclass(frozen=True, slots=True)
class ExportMarkets:
    markets: tuple[Market, ...]
    families: dict[str, tuple[str, ...]]  # product line -> families covering it
    source: str
    warnings: tuple[str, ...] = ()

    def product_lines(self) -> list[str]:
        return list(dict.fromkeys(market.product_line for market in self.markets))


def read_markets(path: Path, known_families: Collection[str] | None = None) -> ExportMarkets:
    """Validated export markets; ``known_families`` (the portfolio's) checks the ``families`` cells."""
    columns, rows = read_rows(path)
    problems = Problems(path)
    check_columns(problems, columns, REQUIRED, (*REQUIRED, *OPTIONAL))
    problems.raise_if_any()
    markets: list[Market] = []
    families: dict[str, list[str]] = {}
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.values.get("__overflow__"):
            problems.add(row.number, None, f"more cells than header columns: {row.values['__overflow__']!r}")
        line = row.get("product_line").strip()
        country = row.get("country").strip().upper()
        if not line:
            problems.add(row.number, "product_line", "a product line is required")
        if not country:
            problems.add(row.number, "country", "a country code is required (ISO 3166 alpha-2, e.g. DE)")
        elif country not in countries() or countries()[country].status != "iso_3166":
            problems.add(row.number, "country", f"{country!r} is not a current ISO 3166 alpha-2 country code")
        if line and country:
            if (line, country) in seen:
                problems.add(row.number, "country", f"{line} / {country} is already on row {seen[line, country]}")
            seen.setdefault((line, country), row.number)
        value = parse_number(problems, row, "export_value")
        listed = split_families(row.get("families"))
        if listed == ["*"]:
            listed = list(known_families or [])
        elif known_families is not None:
            for family in listed:
                if family not in known_families:
                    problems.add(row.number, "families", f"family {family!r} is not in the portfolio")
        families.setdefault(line, []).extend(f for f in listed if f not in families.get(line, []))
        markets.append(
            Market(
                product_line=line,
                country=country,
                hs_code=row.get("hs_code") or None,
                export_value=value,
                currency=(row.get("currency").strip().upper() or None),
                origin=f"{path.name} row {row.number}",
            )
        )
    problems.raise_if_any()
    for line, listed in families.items():
        if not listed:
            problems.warn(f"product line {line!r} names no family: every market of it is unprotected")
    return ExportMarkets(
        markets=tuple(markets),
        families={line: tuple(listed) for line, listed in families.items()},
        source=f"file {path.name}",
        warnings=tuple(problems.warnings),
    )
