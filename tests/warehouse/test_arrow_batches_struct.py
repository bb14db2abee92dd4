"""A batch's tables, converted in one struct conversion per table (issue 20), hold exactly what a
plain column-by-column conversion of the same rows gives, for the records and legal events of the
real samples of the XML and JSON readers; empty tables are the schema's own, shared between batches."""

from __future__ import annotations

import io

import pyarrow as pa
import pytest

from patentreach.model.schema import CHILD_TABLES, LEGAL_EVENT_TABLES, PATENT_TABLES, QUARANTINE
from patentreach.sources import source_named
from patentreach.warehouse.arrow_batches import collect
from tests.conftest import shared_path
from tests.sources.samples import SAMPLES


def _column_by_column(rows: list, schema: pa.Schema, extra: dict[str, list]) -> pa.Table:
    return pa.Table.from_arrays(
        [pa.array(extra[f.name] if f.name in extra else [getattr(r, f.name) for r in rows], type=f.type)
         for f in schema],
        schema=schema,
    )


@pytest.fixture(scope="module")
def parsed_samples() -> dict[str, list]:
    out = {}
    for name in ("uspto-grant-xml", "uspto-application-xml", "epo-ep-xml", "epo-docdb-xml", "epo-ops-xml",
                 "lens-json", "google-patents"):
        source = source_named(name)
        for relative in SAMPLES[name]:
            with open(shared_path("data", *relative.split("/")), "rb") as handle:
                out[relative] = [source.parse(u, relative) for u in source.units(io.BufferedReader(handle))]
    return out


def test_every_patent_table_equals_the_column_by_column_conversion(parsed_samples):
    compared = 0
    for relative, parsed in parsed_samples.items():
        records = [r for item in parsed if item.stores for r in item.records if hasattr(r, "publication")]
        tables = collect(parsed, relative, "reader", "ingest-1").tables
        publications = [r.publication for r in records]
        expected = _column_by_column(publications, PATENT_TABLES["publications"],
                                     {"ingest_id": ["ingest-1"] * len(publications)})
        assert tables["publications"].equals(expected, check_metadata=True), relative
        for table, attribute in CHILD_TABLES.items():
            rows = [child for r in records for child in getattr(r, attribute)]
            indexes = [r.publication.record_index for r in records for _ in getattr(r, attribute)]
            expected = _column_by_column(rows, PATENT_TABLES[table],
                                         {"record_index": indexes, "ingest_id": ["ingest-1"] * len(rows)})
            assert tables[table].equals(expected, check_metadata=True), (relative, table)
            compared += len(rows)
        events = [e for item in parsed if item.stores for e in item.legal_events]
        if events:
            schema = LEGAL_EVENT_TABLES["legal_events"]
            expected = _column_by_column(events, schema, {"ingest_id": ["ingest-1"] * len(events)})
            assert tables["legal_events"].equals(expected, check_metadata=True), relative
            compared += len(events)
    assert compared > 4000  # parties, classifications, priorities, designations, legal events


def test_a_batch_without_quarantine_gets_the_schemas_empty_table_each_time(parsed_samples):
    parsed = parsed_samples["epo-ep-publication-xml/grant/v1-5-B2.xml"]
    first, second = collect(parsed, "a", "r", "i"), collect(parsed, "b", "r", "j")
    assert first.quarantine.num_rows == 0 and first.quarantine.schema.equals(QUARANTINE)
    assert first.quarantine is second.quarantine
