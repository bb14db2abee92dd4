"""DOCDB and OPS carry no document type beyond the kind code (the exchange-document attributes are
numbers, dates, family and the record's exchange status), so their documents keep the rule
``kind_code``; an office without a row for the kind stays ``other`` and ``info`` says so."""

from __future__ import annotations

from patentreach.sources.docdb import DocdbXml
from patentreach.sources.ops import OpsXml
from tests.sources.epo_helpers import read_sample

FOLDER = "epo-docdb-xml"


def _types(reader, *parts: str) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    records = read_sample(reader, *parts).records
    return {pub_id: (r.publication.doc_type, r.publication.doc_type_rule) for pub_id, r in records.items()}


def test_docdb_documents_are_typed_by_the_kind_code_table() -> None:
    # ARIPO's A is its granted patent (CAS kind list): a grant outside the first kind-code table
    assert _types(DocdbXml(), FOLDER, "AP-1206-A_302101161.xml") == {"AP-1206-A": ("invention_grant", "kind_code")}
    assert _types(DocdbXml(), FOLDER, "YU-6701-A_381353354.xml") == {"YU-6701-A": ("other", "kind_code")}
    assert _types(DocdbXml(), FOLDER, "WO-2022259205-A1_544370561.xml") == {
        "WO-2022259205-A1": ("invention_application", "kind_code")}
    bulk = _types(DocdbXml(), FOLDER, "DOCDB-202407-009-DE-0074.first10docs.xml")
    assert len(bulk) == 10
    assert set(bulk.values()) == {("other", "kind_code")}  # DE B of 1968: no DE B row


def test_ops_documents_are_typed_by_the_kind_code_table() -> None:
    types = _types(OpsXml(), "epo-ops-xml", "epo-ops-go", "search_with_constituent.response.xml")
    assert {rule for _, rule in types.values()} == {"kind_code"}
    danish = [value for pub_id, value in types.items() if pub_id.startswith("DK-")]
    assert danish == [("other", "kind_code")]  # DK T3: translation of an EP patent, counted at EP
