"""Warehouses shared by the indicator tests (built once per session: ingest is the slow part).

* ``sample_warehouse``: the real USPTO weekly grant samples and the EPO DOCDB / OPS / EP
  publication samples, with harmonisation tables from ``derived_fixture`` (simple, transparent
  rules, so exact values can be computed by hand from the files);
* ``harmonised_warehouse``: the same files through ``patentreach.harmonize`` (the real pipeline);
* ``mini_warehouse``: the seeded synthetic warehouse (``patentreach.synth.warehouse``), small.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from patentreach.warehouse import Warehouse
from patentreach.warehouse.engines import Engine, connect
from patentreach.warehouse.ingest import ingest
from tests.conftest import shared_path
from tests.indicators.derived_fixture import write_derived

SAMPLE_DIRS = (
    ("uspto-grant-xml", "ipg-weekly-samples"),
    ("epo-docdb-xml",),
    ("epo-ops-xml",),
    ("epo-ep-publication-xml",),
)


@pytest.fixture(scope="session")
def ingested_samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("samples") / "wh"
    report = ingest([shared_path("data", *parts) for parts in SAMPLE_DIRS], Warehouse(root))
    assert not report.nothing_ingested
    return root


@pytest.fixture(scope="session")
def sample_warehouse(ingested_samples: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    root = tmp_path_factory.mktemp("fixture") / "wh"
    shutil.copytree(ingested_samples, root)
    warehouse = Warehouse(root)
    write_derived(warehouse)
    return warehouse


@pytest.fixture(scope="session")
def harmonised_warehouse(ingested_samples: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    harmonize = pytest.importorskip("patentreach.harmonize").harmonize
    root = tmp_path_factory.mktemp("harmonised") / "wh"
    shutil.copytree(ingested_samples, root)
    warehouse = Warehouse(root)
    harmonize(warehouse)
    return warehouse


@pytest.fixture(scope="session")
def mini_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    from patentreach.synth.warehouse import write_warehouse

    root = tmp_path_factory.mktemp("mini") / "wh"
    write_warehouse(root, 30_000, seed=7, chunk_size=12_000, threads=2)
    return Warehouse(root)


@pytest.fixture
def sample_engine(sample_warehouse: Warehouse) -> Iterator[Engine]:
    with connect(sample_warehouse) as engine:
        yield engine
