"""Fixtures of the legal-status tests: the real OPS legal responses read once, and the
PATSTAT-layout sample ingested once into a warehouse (its tls231 events are the legal_events)."""

from __future__ import annotations

import pytest

from patentreach.legal.fold import Application
from patentreach.model.legal_events import LegalEvent
from patentreach.sources.ops.legal_event_rows import Member, read_legal_response
from patentreach.warehouse.layout import Warehouse
from tests.conftest import shared_path

OPS = (
    ("data", "epo-ops-xml", "patent_client", "legal_example_1.xml"),
    ("data", "epo-ops-xml", "patent_client", "legal_example_3.xml"),
    ("data", "epo-ops-xml", "epo-ops-go", "get_family_with_legal.response.xml"),
)


def applications_of(members: list[Member]) -> dict[tuple[str, str], Application]:
    """Applications from the members of a legal response: grant date = the first B publication."""
    found: dict[tuple[str, str], dict] = {}
    for m in members:
        a = found.setdefault((m.application_office, m.application_number),
                             {"filing": m.application_date, "grant": None, "last": None, "pubs": []})
        a["pubs"].append(f"{m.office}-{m.number}-{m.kind}")
        if m.kind.startswith("B") and m.publication_date:
            a["grant"] = min(d for d in (a["grant"], m.publication_date) if d)
        if m.publication_date:
            a["last"] = max(d for d in (a["last"], m.publication_date) if d)
    return {key: Application(key[0], key[1], a["filing"], grant_date=a["grant"], last_publication_date=a["last"],
                             publication_numbers=tuple(a["pubs"])) for key, a in found.items()}


@pytest.fixture(scope="session")
def ops_legal() -> dict[str, tuple[list[LegalEvent], dict[tuple[str, str], Application]]]:
    """file name -> (events, applications) of the three real OPS legal responses."""
    out = {}
    for parts in OPS:
        events, members = read_legal_response(shared_path(*parts))
        out[parts[-1]] = (events, applications_of(members))
    return out


@pytest.fixture(scope="session")
def patstat_legal_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    from patentreach.warehouse.ingest import ingest

    warehouse = Warehouse(tmp_path_factory.mktemp("legal-patstat") / "wh")
    ingest([shared_path("data", "patstat-layout")], warehouse)
    return warehouse

