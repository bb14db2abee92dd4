"""The contract every reader keeps, checked once for all of them on their real samples:
it recognises its own files (and no other reader ties with it), it emits only canonical records
(publications or transfers) whose children belong to them, and it accounts for every record it
reads."""

from __future__ import annotations

import pytest

from patentreach.model.records import Classification, Party, PatentRecord, Priority, Publication
from patentreach.model.transfers import Transfer, TransferParty, TransferProperty, TransferRecord
from patentreach.sources import SOURCES, source_named
from patentreach.sources.detect import HEAD_BYTES, detect
from tests.conftest import shared_path
from tests.sources.samples import SAMPLES

CASES = [(name, path) for name, paths in SAMPLES.items() for path in paths]


def test_every_listed_reader_has_real_samples():
    # A reader of whole table deliveries (PATSTAT) has no units; tests/warehouse/test_patstat_* hold its contract.
    # USPTO's maintenance-fee events file has no public sample here: its reader is tested on a
    # fixture written from the published layout (tests/legal/test_maintenance_fee_reader.py).
    per_unit = [s for s in SOURCES if not getattr(s, "reads_table_deliveries", False)]
    documented_only = {"uspto-maintenance-fee-events"}
    assert sorted(s.name for s in per_unit if s.name not in SAMPLES.keys() | documented_only) == []


@pytest.mark.parametrize(("name", "path"), CASES, ids=[p for _, p in CASES])
def test_reader_detects_its_own_samples(name, path):
    head = shared_path("data", path).read_bytes()[:HEAD_BYTES]
    assert detect(head).source.name == name


@pytest.mark.parametrize(("name", "path"), CASES, ids=[p for _, p in CASES])
def test_reader_emits_only_canonical_records_and_loses_nothing(name, path):
    source = source_named(name)
    file = shared_path("data", path)
    read = stored = quarantined = skipped = 0
    with open(file, "rb") as handle:
        for unit in source.units(handle):
            parsed = source.parse(unit, str(file))
            read += 1
            outcomes = [parsed.stores, parsed.quarantined is not None, parsed.skipped is not None]
            assert sum(outcomes) == 1, f"unit {unit.index}: exactly one outcome expected"
            if parsed.stores:
                stored += 1
                assert all(e.record_index == unit.index for e in parsed.legal_events)
                for record in parsed.records:
                    _check_record(record, unit.index)
                ids = [r.transfer.transfer_id for r in parsed.records if isinstance(r, TransferRecord)]
                assert len(ids) == len(set(ids)), f"unit {unit.index}: a transfer id twice in one unit"
            elif parsed.quarantined is not None:
                quarantined += 1
                assert parsed.quarantined.reasons, "a quarantined record says why"
            else:
                skipped += 1
                assert parsed.skipped.reason
            if not parsed.stores:
                assert parsed.transfers == [] and parsed.legal_events == [], "rows are stored only with a stored unit"
    assert read == stored + quarantined + skipped
    assert read > 0


def _check_record(record: PatentRecord | TransferRecord, index: int) -> None:
    """A canonical record of either family, whose children name their parent."""
    if isinstance(record, TransferRecord):
        assert isinstance(record.transfer, Transfer)
        assert record.transfer.record_index == index
        transfer_id = record.transfer.transfer_id
        for child, kind in ((record.parties, TransferParty), (record.properties, TransferProperty)):
            assert all(isinstance(c, kind) and c.transfer_id == transfer_id for c in child)
        return
    assert isinstance(record, PatentRecord)
    assert isinstance(record.publication, Publication)
    pub_id = record.publication.pub_id
    for child, kind in ((record.parties, Party), (record.classifications, Classification),
                        (record.priorities, Priority)):
        assert all(isinstance(c, kind) and c.pub_id == pub_id for c in child)
