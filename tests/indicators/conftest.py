"""Fixtures of the indicator tests. The warehouses they use (built once per session, and shared
with the bulletin's tests) are in ``tests/warehouse_fixtures.py``:

* ``sample_warehouse``: the real USPTO weekly grant samples and the EPO DOCDB / OPS / EP
  publication samples, with harmonisation tables from ``derived_fixture`` (simple, transparent
  rules, so exact values can be computed by hand from the files);
* ``harmonised_warehouse``: the same files through ``patentreach.harmonize`` (the real pipeline);
* ``mini_warehouse``: the seeded synthetic warehouse (``patentreach.synth.warehouse``), small.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from patentreach.warehouse import Warehouse
from patentreach.warehouse.engines import Engine, connect


@pytest.fixture
def sample_engine(sample_warehouse: Warehouse) -> Iterator[Engine]:
    with connect(sample_warehouse) as engine:
        yield engine
