"""A warehouse of real USPTO grants in which a source typed some documents and gave field weights.

The 25 publications of the weekly sample ``ipg120103.small.xml`` (22 invention grants, 3 designs)
are ingested through the real ingest, the reader's records changed on the way the way a source
that types its own documents and publishes WIPO field weights (PATSTAT: ``publn_first_grant``,
tls230) would give them: ``Publication.doc_type_rule`` and ``PatentRecord.technology_fields``,
stored by the warehouse's own writing path (``arrow_batches.collect``, ``PartWriter``). The
harmonisation tables come from ``derived_fixture`` (first applicants: US 13, JP 6, NL 2, DE 1 of
the invention grants).

What the USPTO file gives (IPC fields through the WIPO concordance, first field marked *):

    US-8087986-B2  JP  G06F 17/00            -> 6*
    US-8088760-B2  US  A61K 31/422 ...       -> 14: 1/2, 16*: 1/2
    US-8089342-B2  JP  B60R 25/00 ... (14)   -> 3, 4, 6, 12, 32*: 1/5 each

What the "source" says instead (``SOURCE_FIELDS``): 8087986 field 7 only (its first IPC field, 6,
gets no weight), 8088760 fields 14: 3/4 and 16: 1/4, 8089342 fields 32: 1/2, 6: 1/4, 3: 1/4.
"""

from __future__ import annotations

import pathlib

import pytest

from patentreach.model.records import TechnologyField
from patentreach.warehouse import Warehouse, unit_parse
from patentreach.warehouse.ingest import ingest
from tests.conftest import shared_path
from tests.indicators.derived_fixture import write_derived

SAMPLE = ("data", "uspto-grant-xml", "ipg-weekly-samples", "ipg120103.small.xml")
TLS230 = "patstat:tls230"
PATSTAT_RULE = "source:patstat"
SOURCE_FIELDS = {
    "US-8087986-B2": {7: 1.0},
    "US-8088760-B2": {14: 0.75, 16: 0.25},
    "US-8089342-B2": {32: 0.5, 6: 0.25, 3: 0.25},
}
# typed by the source's own flag: the three above, one grant without field weights, one design
SOURCE_TYPED = {*SOURCE_FIELDS, "US-8089596-B2", "US-D651486-S1"}


def _as_the_source_gives_it(parsed):  # type: ignore[no-untyped-def]
    record = parsed.record
    if record is None:
        return parsed
    pub_id = record.publication.pub_id
    if pub_id in SOURCE_TYPED:
        record.publication.doc_type_rule = PATSTAT_RULE
    for field, weight in SOURCE_FIELDS.get(pub_id, {}).items():
        record.technology_fields.append(TechnologyField(pub_id, field, weight, TLS230))
    return parsed


def build(root: pathlib.Path) -> Warehouse:
    """Ingest the sample with the source's typing and field weights; write the harmonisation tables."""
    warehouse = Warehouse(root)
    reader_parse = unit_parse.parse_unit
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(unit_parse, "parse_unit", lambda *a: _as_the_source_gives_it(reader_parse(*a)))
        report = ingest([shared_path(*SAMPLE)], warehouse)
    assert not report.nothing_ingested
    write_derived(warehouse)
    return warehouse
