"""The outbound sections built once per warehouse (module scope would build them per file).

The warehouses are the session fixtures of ``tests/warehouse_fixtures.py``:
``sample_warehouse`` and ``harmonised_warehouse`` hold the real USPTO/EPO samples (Japanese
enterprises' grants abroad of 2008-2009 are the largest slice of a year and the year before),
``mini_warehouse`` the seeded synthetic one, which holds Chinese grants of 2021 (the year of the
published CNIPA table), and ``ingested_samples`` the samples before any harmonisation.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from patentreach.report.bulletin.context import BulletinContext
from patentreach.report.bulletin.model import Section, SectionUnavailable
from patentreach.report.bulletin.request import BulletinRequest
from patentreach.report.bulletin.sections import builder
from patentreach.warehouse import Warehouse

OUTBOUND = ("offices", "fields", "enterprises", "routes")


def build_all(root: Path, origin: str, year: int, offices: str = "major",
              options: dict[str, dict] | None = None,
              names: tuple[str, ...] = OUTBOUND) -> dict[str, Section | SectionUnavailable]:
    """The outbound sections (``names``) of one bulletin request (one context, as ``build_bulletin``
    opens it)."""
    options = options or {}
    request = BulletinRequest(warehouse=root, origin=origin, year=year, offices=offices)
    built: dict[str, Section | SectionUnavailable] = {}
    with BulletinContext(request, Warehouse(root)) as ctx:
        for name in names:
            try:
                built[name] = builder(name)(ctx, options.get(name, {}), {})
            except SectionUnavailable as missing:
                built[name] = missing
    return built


@pytest.fixture(scope="session")
def mini_cn_2021(mini_warehouse: Warehouse) -> dict[str, Section]:
    return build_all(mini_warehouse.root, "CN", 2021)


@pytest.fixture(scope="session")
def samples_jp_2009(sample_warehouse: Warehouse) -> dict[str, Section]:
    return build_all(sample_warehouse.root, "JP", 2009)


@pytest.fixture(scope="session")
def harmonised_jp_2009(harmonised_warehouse: Warehouse) -> dict[str, Section]:
    return build_all(harmonised_warehouse.root, "JP", 2009)


@pytest.fixture
def context_of() -> Iterator:
    """``context_of(root, origin, year, offices)``: an open context, closed after the test."""
    opened: list[BulletinContext] = []

    def open_one(root: Path, origin: str = "CN", year: int = 2021, offices: str = "major") -> BulletinContext:
        request = BulletinRequest(warehouse=root, origin=origin, year=year, offices=offices)
        ctx = BulletinContext(request, Warehouse(root))
        opened.append(ctx)
        return ctx

    yield open_one
    for ctx in opened:
        ctx.close()
