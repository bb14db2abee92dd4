"""USPTO Open Data Portal (patent file wrapper API) JSON: search and application responses, in
the current ``patentFileWrapperDataBag`` shape and the older ``patentBag`` shape.

One unit per application record, cut from the array by a byte scanner (``json_bag``) so that a
large bulk file is never held or parsed in the main process; ``parse`` decodes one record and
maps it (``biblio``): the granted patent when there is one, else the pre-grant publication.
The record's ``assignmentBag`` becomes transfer records (``assignments``), stored with the
publication, or alone for an assignment-only response. Unpublished applications without
assignments and continuity / foreign-priority-only responses are skipped with a reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import BinaryIO, ClassVar

from patentreach.sources.base import Parsed, Quarantined, Sniff, Source, Unit
from patentreach.sources.json_nesting import loads_record
from patentreach.sources.uspto_odp import assignments, biblio
from patentreach.sources.uspto_odp.application_status import status_event
from patentreach.sources.uspto_odp.json_bag import bag_items

_CURRENT = re.compile(rb'^(?:\xef\xbb\xbf)?\s*\{.*?"patentFileWrapperDataBag"\s*:\s*\[', re.S)
_OLDER = re.compile(rb'^(?:\xef\xbb\xbf)?\s*\{.*?"patentBag"\s*:\s*\[', re.S)


class UsptoOdpJson(Source):
    name: ClassVar[str] = "uspto-odp-json"
    reader_version: ClassVar[str] = "1.1"
    description: ClassVar[str] = (
        "USPTO Open Data Portal patent file wrapper JSON (patentFileWrapperDataBag; older patentBag)"
    )

    def sniff(self, head: bytes) -> Sniff | None:
        if _CURRENT.match(head):
            return Sniff(0.9, "patentFileWrapperDataBag")
        if _OLDER.match(head):
            return Sniff(0.9, "patentBag")
        return None

    def units(self, stream: BinaryIO) -> Iterator[Unit]:
        return bag_items(stream)

    def parse(self, unit: Unit, source_file: str) -> Parsed:
        raw = unit.data
        try:
            record = loads_record(raw, unit.line) if isinstance(raw, bytes | str) else raw
        except ValueError as exc:
            return Parsed(quarantined=Quarantined(unit.index, unit.line, [f"record {unit.index}: {exc}"], _raw(raw)))
        if not isinstance(record, dict):
            return Parsed(quarantined=Quarantined(
                unit.index, unit.line, [f"record is a JSON {type(record).__name__}, not an object"], _raw(raw)
            ))
        shape = "patentFileWrapperDataBag" if "applicationMetaData" in record else "patentBag"
        version = f"{self.reader_version}/{shape}"
        mapped, skipped, problems = biblio.map_record(record, unit.index, self.name, version, source_file)
        application = biblio.metadata(record).get("applicationNumberText") or record.get("applicationNumberText")
        transfers = assignments.transfer_records(
            record, biblio._clean(application), mapped.publication.pub_id if mapped else None,
            self.name, version, source_file, unit.index, problems,
        )
        if problems:
            return Parsed(quarantined=Quarantined(unit.index, unit.line, problems, _raw(raw)))
        base = Parsed(record=mapped, transfers=transfers) if mapped is not None else (
            Parsed.of_transfers(transfers) if transfers else None)
        if base is None:
            assert skipped is not None
            return Parsed(skipped=skipped)
        # the application's status as a legal event too (never of an unpublished application alone)
        event = status_event(record, self.name, version, source_file, unit.index)
        return Parsed.of_events([event], base=base) if event is not None else base


def _raw(raw: object) -> bytes | str:
    return raw if isinstance(raw, bytes | str) else json.dumps(raw)
