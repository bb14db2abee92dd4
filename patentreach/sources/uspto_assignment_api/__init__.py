"""USPTO Assignment Search API responses: Solr XML (``<response>`` with ``<result
name="response">`` holding one ``<doc>`` per recorded assignment), not the bulk DTD.

The same reel/frame as the bulk files, flattened into parallel arrays (``solr_doc``); the
transfer id is the bulk reader's, so a transaction read from both is one ``transfers`` row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO, ClassVar

from lxml import etree

from patentreach.sources.base import Parsed, Quarantined, Sniff, Source, Unit
from patentreach.sources.file_lines import located_quarantine, without_line_mentions
from patentreach.sources.uspto_assignment_api.solr_doc import record_from_doc
from patentreach.sources.uspto_assignment_api.splitting import RESULT, split_docs
from patentreach.sources.xml_safety import parse_bytes

_ID = 'str[@name="id"]'
_ASSIGNMENT_FIELDS = re.compile(rb'<(?:str|arr) name="(?:reelNo|conveyanceText|patAssignorName)"')


class UsptoAssignmentApiXml(Source):
    name: ClassVar[str] = "uspto-assignment-api"
    reader_version: ClassVar[str] = "1.0"
    description: ClassVar[str] = "USPTO Assignment Search API responses (Solr XML, one doc per reel/frame)"

    def sniff(self, head: bytes) -> Sniff | None:
        if b"<response" not in head or not RESULT.search(head) or not _ASSIGNMENT_FIELDS.search(head):
            return None
        return Sniff(0.9, "solr")

    def units(self, stream: BinaryIO) -> Iterator[Unit]:
        return split_docs(stream)

    def parse(self, unit: Unit, source_file: str) -> Parsed:
        data = unit.data
        assert isinstance(data, bytes)
        try:
            doc = parse_bytes(data)
        except etree.XMLSyntaxError as exc:
            return Parsed(quarantined=located_quarantine(
                unit, f"not well-formed XML: {without_line_mentions(exc.msg)}", exc.lineno or 1,
                exc.position[1] if exc.position else None))
        record, problems = record_from_doc(doc, self.name, f"{self.reader_version}/solr", source_file, unit.index)
        if record is None:
            label = f"doc {doc.findtext(_ID) or unit.index}"
            return Parsed(quarantined=Quarantined(unit.index, unit.line, [f"{label}: {p}" for p in problems], data))
        return Parsed(record=record)
