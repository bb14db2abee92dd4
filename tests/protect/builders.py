"""Small builders for portfolios and export markets written as the user writes them (CSV text)."""

from __future__ import annotations

from pathlib import Path

from patentreach.protect import ExportMarkets, Portfolio, read_markets, read_portfolio

PORTFOLIO_HEADER = (
    "family,priority_date,office,status,application_number,application_date,route,grant_date,"
    "pct_number,pct_date,pct_chapter,validations,unitary_effect,ipc,priority_office"
)


def portfolio(tmp_path: Path, *rows: str, name: str = "portfolio.csv") -> Portfolio:
    path = tmp_path / name
    path.write_text("\n".join([PORTFOLIO_HEADER, *rows]) + "\n", encoding="utf-8")
    return read_portfolio(path)


def markets(tmp_path: Path, held: Portfolio, *rows: str) -> ExportMarkets:
    path = tmp_path / "exports.csv"
    path.write_text("\n".join(["product_line,country,hs_code,export_value,currency,families", *rows]) + "\n",
                    encoding="utf-8")
    return read_markets(path, held.families)
