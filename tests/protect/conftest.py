"""A small warehouse built from real samples in ``../shared/data`` (EP grants and a USPTO weekly
bibliographic file), with a hand-written ``derived/party_entity.parquet`` standing in for the
harmonisation step, for the entity portfolio and third-party risk tests."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from patentreach.warehouse import Warehouse
from patentreach.warehouse.ingest import ingest
from tests.conftest import shared_path

ENTITY_ROWS = [
    # pub_id, role, sequence, entity_id, normalised_name, sector, sector_rule
    ("US-11477946-B2", "applicant", 1, "E-IPPT", "INTERNATIONAL PLANT PROPAGATION TECHNOLOGY", "company", "test"),
    ("US-11477946-B2", "assignee", 1, "E-IPPT", "INTERNATIONAL PLANT PROPAGATION TECHNOLOGY", "company", "test"),
    ("US-11477947-B2", "assignee", 1, "E-IPPT", "INTERNATIONAL PLANT PROPAGATION TECHNOLOGY", "company", "test"),
    ("EP-1019261-B1", "applicant", 1, "E-CROWN", "CROWN EQUIPMENT", "company", "test"),
    ("EP-3404678-B1", "applicant", 1, "E-GE", "GENERAL ELECTRIC", "company", "test"),
]


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    root = tmp_path_factory.mktemp("protect") / "warehouse"
    warehouse = Warehouse(root)
    files = sorted(shared_path("data", "epo-ep-publication-xml", "grant").glob("*.xml"))
    files.append(shared_path("data", "uspto-grant-xml", "ipgb-biblio", "ipgb20221025.xml"))
    ingest(files, warehouse)
    write_party_entity(warehouse)
    return warehouse


def write_party_entity(warehouse: Warehouse) -> Path:
    columns = list(zip(*ENTITY_ROWS, strict=True))
    table = pa.table(
        {
            "pub_id": pa.array(columns[0], pa.string()),
            "role": pa.array(columns[1], pa.string()),
            "sequence": pa.array(columns[2], pa.int64()),
            "entity_id": pa.array(columns[3], pa.string()),
            "normalised_name": pa.array(columns[4], pa.string()),
            "sector": pa.array(columns[5], pa.string()),
            "sector_rule": pa.array(columns[6], pa.string()),
        }
    )
    warehouse.derived_dir.mkdir(parents=True, exist_ok=True)
    path = warehouse.derived_dir / "party_entity.parquet"
    pq.write_table(table, path)
    return path
