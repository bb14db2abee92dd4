"""Synthetic exporters with synthetic patent holdings, for the demo of ``protect national``.

Deterministic (a seeded ``random.Random``): each exporter gets a sector, a size, 1-4 export
markets and, for most of them, a matched portfolio in which some markets hold a grant (in force,
or lapsed by legal status), some only a pending application, others nothing; the rest are left
unmatched, as exporters that never filed a patent are. The figures mean nothing about any real
population: they show the computation and its outputs.
"""

from __future__ import annotations

import random
from datetime import date

from patentreach.legal.status_model import IN_FORCE, LAPSED, RightStatus
from patentreach.protect.exporters import Exporter
from patentreach.protect.portfolio import Family, Filing, Portfolio

SECTORS = ("private", "state_owned", "foreign", "hmt")  # the survey's codes, so the two sit side by side
SIZES = ("micro", "small", "medium", "large")
MARKETS = ("US", "DE", "JP", "KR", "GB", "FR", "IN", "BR", "VN", "MX")
MATCH_RATE = {"micro": 0.35, "small": 0.55, "medium": 0.75, "large": 0.95}


def synthetic_exporters(n: int = 300, seed: int = 7,
                        as_of: date = date(2026, 6, 1)) -> tuple[list[Exporter], dict[str, Portfolio | None]]:
    """``n`` exporters and, per exporter id, its portfolio (None: not matched to any applicant)."""
    rng = random.Random(seed)
    exporters, portfolios = [], {}
    for i in range(1, n + 1):
        size = rng.choices(SIZES, weights=(3, 4, 2, 1))[0]
        markets = tuple(rng.sample(MARKETS, rng.randint(1, 4)))
        exporter = Exporter(f"EXP{i:04d}", f"Synthetic Exporter {i:04d}", markets,
                            rng.choices(SECTORS, weights=(6, 2, 1, 1))[0], size, origin="synthetic")
        exporters.append(exporter)
        portfolios[exporter.exporter_id] = (
            _holding(rng, exporter, as_of) if rng.random() < MATCH_RATE[size] else None)
    return exporters, portfolios


def _holding(rng: random.Random, exporter: Exporter, as_of: date) -> Portfolio:
    priority = date(rng.randint(2010, 2022), rng.randint(1, 12), rng.randint(1, 28))
    filings = []
    for n, market in enumerate(exporter.markets):
        draw = rng.random()
        if draw < 0.45:
            continue  # nothing filed there
        number = f"{market}{exporter.exporter_id[3:]}{n}"
        filed = date(priority.year + 1, priority.month, priority.day)
        if draw < 0.6:
            filings.append(Filing("F1", market, "direct", "pending", number, filed))
            continue
        status = RightStatus(market, number, as_of, LAPSED if draw < 0.7 else IN_FORCE,
                             since=date(as_of.year - 1, 3, 1) if draw < 0.7 else None, reason="synthetic")
        filings.append(Filing("F1", market, "direct", "granted", number, filed,
                              date(filed.year + 3, filed.month, filed.day), legal=status, legal_checked=True))
    family = Family("F1", priority, tuple(filings))
    return Portfolio(exporter.name, {"F1": family}, "synthetic", status_source="synthetic legal status")
