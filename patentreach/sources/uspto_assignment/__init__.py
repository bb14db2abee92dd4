"""USPTO patent assignment XML (``us-patent-assignments``, DTD v1.0): the daily ``ad*.xml`` files
and the annual backfile, one recorded transaction (reel/frame) per ``patent-assignment``.

Each file is one XML document with an internal DTD subset; ``splitting`` cuts the elements by byte
search after checking the prolog, ``assignment_record`` maps each to a ``TransferRecord``, and
``conveyance`` classifies the conveyance text (rules in ``conveyance_types.csv``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO, ClassVar

from lxml import etree

from patentreach.sources.base import Parsed, Quarantined, Sniff, Source, Unit
from patentreach.sources.file_lines import located_quarantine, without_line_mentions
from patentreach.sources.uspto_assignment.assignment_record import record_from_assignment
from patentreach.sources.uspto_assignment.splitting import ROOT, split_assignments
from patentreach.sources.xml_safety import parse_bytes

_VERSION = re.compile(rb'<us-patent-assignments[^>]*dtd-version="([^"]*)"', re.S)


class UsptoAssignmentXml(Source):
    name: ClassVar[str] = "uspto-assignment-xml"
    reader_version: ClassVar[str] = "1.0"
    description: ClassVar[str] = "USPTO patent assignment XML (us-patent-assignments: daily ad*.xml and backfile)"

    def sniff(self, head: bytes) -> Sniff | None:
        if not ROOT.search(head):
            return None
        version = _VERSION.search(head)
        return Sniff(0.95, version.group(1).decode("ascii", "replace") if version else "")

    def units(self, stream: BinaryIO) -> Iterator[Unit]:
        return split_assignments(stream)

    def parse(self, unit: Unit, source_file: str) -> Parsed:
        data = unit.data
        assert isinstance(data, bytes)
        try:
            element = parse_bytes(data)
        except etree.XMLSyntaxError as exc:
            return Parsed(quarantined=located_quarantine(
                unit, f"not well-formed XML: {without_line_mentions(exc.msg)}", exc.lineno or 1,
                exc.position[1] if exc.position else None))
        record, problems = record_from_assignment(
            element, self.name, f"{self.reader_version}/DTD v1.0", source_file, unit.index
        )
        if record is None:
            label = _label(element)
            return Parsed(quarantined=Quarantined(unit.index, unit.line, [f"{label}: {p}" for p in problems], data))
        return Parsed(record=record)


def _label(element: etree._Element) -> str:
    reel = element.findtext("assignment-record/reel-no") or "?"
    frame = element.findtext("assignment-record/frame-no") or "?"
    return f"patent-assignment {reel.strip()}/{frame.strip()}"
