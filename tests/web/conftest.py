"""The warehouse and clients the web tests share (built once per session).

``web_warehouse``: the real samples of ``../shared/data`` (USPTO grants and assignments, EPO
DOCDB/OPS/EP publications) through ``ingest`` and ``harmonize``: the same warehouse a user
would build, so API answers can be compared with the CLI's on the same folder.
``client``: FastAPI's test client over it, with its own state folder (users, session key).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from patentreach.warehouse import Warehouse
from patentreach.warehouse.ingest import ingest
from tests.conftest import shared_path

SAMPLE_DIRS = (
    ("uspto-grant-xml", "ipg-weekly-samples"),
    ("uspto-assignment-xml",),
    ("epo-docdb-xml",),
    ("epo-ops-xml",),
    ("epo-ep-publication-xml",),
)


@pytest.fixture(scope="session")
def web_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    from patentreach.harmonize import harmonize

    root = tmp_path_factory.mktemp("web") / "wh"
    warehouse = Warehouse(root)
    report = ingest([shared_path("data", *parts) for parts in SAMPLE_DIRS], warehouse)
    assert not report.nothing_ingested
    harmonize(warehouse)
    return warehouse


@pytest.fixture(scope="session")
def web_state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("web-state")


@pytest.fixture(scope="session")
def app(web_warehouse: Warehouse, web_state: Path):  # type: ignore[no-untyped-def]
    from patentreach.web.app import create_app
    from patentreach.web.config import ServeConfig

    # no rate limit here: one test process sends far more than a client a minute (the limit has its own tests)
    return create_app(ServeConfig.for_warehouse(web_warehouse, web_state, rate_limit_per_minute=0))


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as test_client:
        yield test_client
