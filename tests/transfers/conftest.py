"""Warehouses of real transfer records, built once per session (ingest is the slow part).

``real_warehouse`` (in ``tests/warehouse_fixtures.py``, shared with the bulletin's tests): only
real files: the daily assignment file ad20160101.xml, the three
Assignment Search responses, the OPS legal responses, ODP's assignment response and the real grant
of TOYOTA MOTOR ENGINEERING & MANUFACTURING NORTH AMERICA, INC. (US 9,358,892 B1), whose printed
US address is what makes five of the day's assignments to Toyota Jidosha (JP) cross-border.

``edited_warehouse``: the same plus ``ipgb20221025.xml`` and one EDITED copy of the day's licence
record (reel/frame 099999/0001): its licensor replaced by INTERNATIONAL PLANT PROPAGATION
TECHNOLOGY LTD (GB, applicant of US 11,477,946 B2 in ipgb20221025) and its property by that
patent, so that a licence's origin is found on the publication it concerns and the patent has a
technology field. It is the only constructed record; every other value comes from real files.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from patentreach.transfers import TransferTables
from patentreach.warehouse.engines import connect
from patentreach.warehouse.ingest import ingest
from patentreach.warehouse.layout import Warehouse
from tests.conftest import shared_path

DAILY = ("data", "uspto-assignment-xml", "bulk-daily", "ad20160101.xml")
IPGB = ("data", "uspto-grant-xml", "ipgb-biblio", "ipgb20221025.xml")


def edited_licence(target: Path) -> Path:
    """The day's licence record (037389/0228), edited as described above, in the file's prolog."""
    data = shared_path(*DAILY).read_text(encoding="utf-8")
    head = data[: data.index("<patent-assignment>")]
    record = re.search(r"<patent-assignment>(?:(?!</patent-assignment>).)*?<frame-no>228</frame-no>.*?"
                       r"</patent-assignment>", data, re.S).group(0)
    record = record.replace("<reel-no>37389</reel-no>", "<reel-no>99999</reel-no>")
    record = record.replace("<frame-no>228</frame-no>", "<frame-no>1</frame-no>")
    record = record.replace("WORDEN, MICHAEL D.", "INTERNATIONAL PLANT PROPAGATION TECHNOLOGY LTD")
    record = record.replace("<doc-number>10431348</doc-number>", "<doc-number>16964182</doc-number>")
    record = record.replace("<doc-number>7065401</doc-number>", "<doc-number>11477946</doc-number>")
    record = re.sub(r"\s*<document-id>\s*<country>US</country>\s*<doc-number>20030216787</doc-number>.*?"
                    r"</document-id>", "", record, flags=re.S)
    target.write_text(head + record + "\n  </patent-assignments>\n</us-patent-assignments>\n", encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def edited_warehouse(tmp_path_factory, real_warehouse) -> Warehouse:
    folder = tmp_path_factory.mktemp("transfers-edited")
    warehouse = Warehouse(folder / "edited")
    shutil.copytree(real_warehouse.root, warehouse.root)
    report = ingest([shared_path(*IPGB), edited_licence(folder / "ad-edited-licence.xml")], warehouse)
    assert report.failed == []
    return warehouse


def _materialised(engine) -> TransferTables:
    """The current views copied into DuckDB tables once, so that the many statistics of the tests
    do not re-read the Parquet parts each time (the views themselves are tested on their own)."""
    names = ("transfers", "transfer_parties", "transfer_properties", "publications", "parties", "classifications")
    for name in names:
        engine.backend.raw_sql(f"CREATE TEMP TABLE test_{name} AS SELECT * FROM {name}")
    return TransferTables(**{name: engine.backend.table(f"test_{name}") for name in names})


@pytest.fixture(scope="session")
def real_tables(real_warehouse):
    with connect(real_warehouse) as engine:
        yield _materialised(engine)


@pytest.fixture(scope="session")
def edited_tables(edited_warehouse):
    with connect(edited_warehouse) as engine:
        yield _materialised(engine)
