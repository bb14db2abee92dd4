"""Warehouses built once per test session and shared by every test folder that reads them
(ingest and harmonisation are the slow part; a fixture re-exported from another folder's conftest
would be built once per importing module). Registered in ``tests/conftest.py`` (``pytest_plugins``).

* ``ingested_samples``: the real USPTO weekly grant samples and the EPO DOCDB / OPS / EP
  publication samples, ingested;
* ``sample_warehouse``: those, with harmonisation tables from ``derived_fixture`` (simple,
  transparent rules, so exact values can be computed by hand from the files);
* ``harmonised_warehouse``: the same files through ``patentreach.harmonize`` (the real pipeline);
* ``mini_warehouse``: the seeded synthetic warehouse (``patentreach.synth.warehouse``), small;
* ``real_warehouse``: real transfer records (``tests/transfers/conftest.py`` says which).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from patentreach.warehouse import Warehouse
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



REAL_TRANSFER_FILES = [
    ("data", "uspto-assignment-xml", "bulk-daily", "ad20160101.xml"),
    ("data", "uspto-assignment-xml", "assignment-search-api"),
    ("data", "epo-ops-xml", "patent_client", "legal_example_1.xml"),
    ("data", "epo-ops-xml", "patent_client", "legal_example_3.xml"),
    ("data", "epo-ops-xml", "epo-ops-go", "get_family_with_legal.response.xml"),
    ("data", "uspto-odp-json", "patent-dev_get_patent_assignment.response.json"),
    ("data", "uspto-grant-xml", "single-docs", "go-uspto_v4-5-B1_US09358892.xml"),
]


@pytest.fixture(scope="session")
def real_warehouse(tmp_path_factory) -> Warehouse:
    warehouse = Warehouse(tmp_path_factory.mktemp("transfers") / "real")
    report = ingest([shared_path(*parts) for parts in REAL_TRANSFER_FILES], warehouse)
    assert report.failed == []
    return warehouse


