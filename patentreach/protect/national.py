"""The register's answer to "two-thirds exported without protection" (issue 21).

For each exporter (``exporters``) and each of its export markets: does it hold a patent **in
force** there on ``as_of``? Its patents are the portfolio of the harmonised entities it was
matched to (``exporter_matching``), with their legal status (``legal_status``); "in force" is
coverage's ``protected`` (a pending application is not a patent in force). Two shares, as in the
survey's headlines:

* ``none``: exporters with no patent in force in **any** of their export markets (the survey's
  ``export_unprotected_none``);
* ``not_all``: exporters without a patent in force in **at least one** of them, i.e. not in every
  one (``export_unprotected_any``).

An exporter that matched no applicant has, as far as the register shows, no patent at all: the
shares are given over all exporters (unmatched counted as without patents) and over the matched
ones only, beside the matching rate and the list of unmatched exporters. By sector, size and
market (for a market: among the exporters exporting there, the share without a patent in force
there).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from patentreach.protect.coverage import filing_effect
from patentreach.protect.exporter_matching import ExporterMatch
from patentreach.protect.exporters import Exporter
from patentreach.protect.portfolio import Portfolio


@dataclass(frozen=True, slots=True)
class ExporterResult:
    exporter: Exporter
    matched: bool
    protected_markets: tuple[str, ...]  # markets with a patent in force on as_of

    @property
    def none(self) -> bool:
        return not self.protected_markets

    @property
    def not_all(self) -> bool:
        return len(self.protected_markets) < len(self.exporter.markets)


@dataclass(frozen=True, slots=True)
class ShareRow:
    breakdown: str  # all | sector | size | market
    group: str
    exporters: int
    matched: int
    none: int  # over all exporters (unmatched = no patent found)
    not_all: int
    none_matched: int  # over matched exporters only
    not_all_matched: int

    def share(self, count: int, base: int) -> float | None:
        return round(count / base, 4) if base else None

    def as_dict(self) -> dict[str, object]:
        return {
            "breakdown": self.breakdown, "group": self.group, "exporters": self.exporters, "matched": self.matched,
            "matching_rate": self.share(self.matched, self.exporters),
            "share_none": self.share(self.none, self.exporters),
            "share_not_all": self.share(self.not_all, self.exporters),
            "share_none_matched": self.share(self.none_matched, self.matched),
            "share_not_all_matched": self.share(self.not_all_matched, self.matched),
        }


@dataclass
class NationalReport:
    as_of: date
    exporters_source: str
    results: list[ExporterResult]
    rows: list[ShareRow]
    unmatched: list[tuple[Exporter, str]]  # with why
    matches: dict[str, ExporterMatch] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    survey: list[dict[str, object]] = field(default_factory=list)  # the survey's estimates, when given

    @property
    def matching_rate(self) -> float | None:
        return self.rows[0].share(self.rows[0].matched, self.rows[0].exporters) if self.rows else None


def protected_markets(portfolio: Portfolio | None, markets: tuple[str, ...], as_of: date) -> tuple[str, ...]:
    """The markets where some filing of the portfolio is a patent in force on ``as_of``."""
    if portfolio is None:
        return ()
    return tuple(
        market for market in markets
        if any((effect := filing_effect(filing, family, market, as_of)) is not None and effect.status == "protected"
               for family in portfolio.families.values() for filing in family.filings)
    )


def national_indicator(exporters: list[Exporter], portfolios: Mapping[str, Portfolio | None], as_of: date,
                       source: str = "", matches: Mapping[str, ExporterMatch] | None = None) -> NationalReport:
    """The shares for ``exporters``; ``portfolios`` maps an exporter id to its matched portfolio
    (None or absent: not matched)."""
    results = [ExporterResult(exporter, portfolios.get(exporter.exporter_id) is not None,
                              protected_markets(portfolios.get(exporter.exporter_id), exporter.markets, as_of))
               for exporter in exporters]
    rows = [_row("all", "all", results)]
    for breakdown in ("sector", "size"):
        for group in sorted({getattr(result.exporter, breakdown) for result in results}):
            rows.append(_row(breakdown, group, [r for r in results if getattr(r.exporter, breakdown) == group]))
    for market in sorted({m for result in results for m in result.exporter.markets}):
        rows.append(_market_row(market, [r for r in results if market in r.exporter.markets]))
    matches = dict(matches or {})
    unmatched = [(r.exporter, matches[r.exporter.exporter_id].note if r.exporter.exporter_id in matches else
                  "not matched") for r in results if not r.matched]
    return NationalReport(as_of, source, results, rows, unmatched, matches)


def _row(breakdown: str, group: str, results: list[ExporterResult]) -> ShareRow:
    matched = [r for r in results if r.matched]
    return ShareRow(breakdown, group, len(results), len(matched), sum(r.none for r in results),
                    sum(r.not_all for r in results), sum(r.none for r in matched), sum(r.not_all for r in matched))


def _market_row(market: str, results: list[ExporterResult]) -> ShareRow:
    """For one market "none" and "not all" are the same thing: no patent in force there."""
    matched = [r for r in results if r.matched]
    without = sum(market not in r.protected_markets for r in results)
    without_matched = sum(market not in r.protected_markets for r in matched)
    return ShareRow("market", market, len(results), len(matched), without, without, without_matched, without_matched)


def national_from_warehouse(exporters: list[Exporter], warehouse: object, as_of: date,
                            source: str = "") -> NationalReport:
    """Match the exporters to the warehouse's entities, read their portfolios with legal status,
    and compute the shares."""
    from dataclasses import replace

    from patentreach.protect.entity_portfolio import EntityError, read_entity_portfolio
    from patentreach.protect.exporter_matching import match_exporters
    from patentreach.protect.legal_status import entity_statuses

    matches = match_exporters(exporters, warehouse)
    cache: dict[str, Portfolio | None] = {}
    notes: set[str] = set()
    portfolios: dict[str, Portfolio | None] = {}
    for exporter in exporters:
        parts = []
        for entity_id in matches[exporter.exporter_id].entity_ids:
            if entity_id not in cache:
                try:
                    held, note = entity_statuses(read_entity_portfolio(warehouse, entity_id), as_of)  # type: ignore[arg-type]
                except EntityError:
                    held, note = None, None  # an entity without applications or grants: no patents
                if note:
                    notes.add(note)
                cache[entity_id] = held
            if cache[entity_id] is not None:
                parts.append(cache[entity_id])
        if parts:
            families = {f"{p.owner}: {name}": family for p in parts for name, family in p.families.items()}
            portfolios[exporter.exporter_id] = replace(parts[0], families=families)
        elif matches[exporter.exporter_id].entity_ids:
            portfolios[exporter.exporter_id] = Portfolio(exporter.name, {}, "matched entity without patents")
    report = national_indicator(exporters, portfolios, as_of, source, matches)
    report.notes.extend(sorted(notes))
    return report
