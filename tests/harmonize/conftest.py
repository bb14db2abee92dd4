"""A small warehouse of real samples, harmonised once per test session.

The files are chosen for what they exercise: GE with a US address (USPTO) and without one (DOCDB
1968); Jaguar Land Rover with and without a country element (ipgb); a misspelt plant assignee
(Danziger / Danizger Flower Farm); a US application whose assignee has no country but whose
inventors do (pa040101); OPS names with person and organisation applicants; PatentsView rows
with assignee type codes; pre-2012 USPTO grants whose applicants are the inventors.
"""

from __future__ import annotations

import csv
import dataclasses
import fcntl
import json
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pytest

from patentreach.harmonize import HarmonizeReport, harmonize, linkage_records
from patentreach.harmonize.name_normalisation import normalise_name
from patentreach.warehouse import Warehouse, connect
from patentreach.warehouse.ingest import ingest
from tests.conftest import REPO, shared_path

SAMPLES = (
    ("uspto-grant-xml", "single-docs", "go-uspto_US07062920-20060620.XML"),
    ("epo-docdb-xml", "DOCDB-202407-009-DE-0074.first10docs.xml"),
    ("uspto-grant-xml", "ipgb-biblio", "ipgb20221025.xml"),
    ("epo-ops-xml", "epo-ops-go", "get_biblio_multiple.response.xml"),
    ("epo-ops-xml", "patent_client", "published_biblio_example_4.xml"),
    ("uspto-grant-xml", "ipg-weekly-samples", "ipg060103.small.xml"),
    ("uspto-application-xml", "pa040101.two.xml"),
)
PATENTSVIEW_G = REPO / "tests" / "fixtures" / "patentsview_g" / "g_patent.tsv"
ADDED_LATER = (
    ("uspto-grant-xml", "ipg-weekly-samples", "ipg100105.small.xml"),
    ("epo-ep-publication-xml", "grant"),
)


def sample_paths() -> list[Path]:
    return [shared_path("data", *parts) for parts in SAMPLES] + [PATENTSVIEW_G]


@pytest.fixture(scope="session")
def harmonized(tmp_path_factory) -> tuple[Warehouse, HarmonizeReport]:
    warehouse = Warehouse(tmp_path_factory.mktemp("harmonize") / "wh")
    ingest(sample_paths(), warehouse)
    return warehouse, harmonize(warehouse)


@pytest.fixture
def harmonized_copy(harmonized, tmp_path) -> Warehouse:
    """A private copy of the harmonised warehouse, for tests that change it."""
    source, _ = harmonized
    shutil.copytree(source.root, tmp_path / "wh")
    return Warehouse(tmp_path / "wh")


def rows(warehouse: Warehouse, sql: str, *params) -> list[tuple]:
    con = connect(warehouse)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def patentsview_organisation_records(count: int = 4000) -> pa.Table:
    """Linkage records of the distinct linkage keys of the first ``count`` organisations of the
    PatentsView assignee table: enough variants for Splink to estimate its parameters."""
    path = shared_path("data", "patentsview-tsv", "legacy", "assignee.tuhh-reduced.subset.tsv")
    with path.open(encoding="utf-8", newline="") as handle:
        names = [r["organization"] for r in csv.DictReader(handle, delimiter="\t") if r["organization"] != "NA"]
    keys = sorted({normalise_name(name).match_key for name in names[:count]})
    return linkage_records.build(keys, ["organisation"] * len(keys), keys)


ENGINES_ON_SHARED_DATA = "harmonize-shared-data-both-engines"


@pytest.fixture(scope="session")
def shared_data_on_both_engines(tmp_path_factory) -> dict[str, tuple[Warehouse, dict]]:
    """Every sample file of ``shared/data`` that ingests, harmonised once on DuckDB and once on
    Spark: engine -> (warehouse, report as a dict). Built once per test run, also under xdist:
    the workers of one run share its base folder and take turns on a lock, the first builds."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, shared by its workers (their own folders are inside)
    root = base / ENGINES_ON_SHARED_DATA
    root.mkdir(exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = root / "reports.json"
        if not done.exists():
            ingested = Warehouse(root / "ingested")
            ingest([shared_path("data")], ingested)
            reports = {}
            for engine in ("duckdb", "spark"):
                shutil.copytree(ingested.root, root / engine)
                reports[engine] = dataclasses.asdict(harmonize(Warehouse(root / engine), engine=engine))
            done.write_text(json.dumps(reports), encoding="utf-8")
        reports = json.loads(done.read_text(encoding="utf-8"))
    return {engine: (Warehouse(root / engine), reports[engine]) for engine in ("duckdb", "spark")}
