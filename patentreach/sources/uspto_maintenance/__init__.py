"""USPTO Patent Maintenance Fee Events (bulk product PTMNFEE2): one legal event per line.

Each line records a maintenance-fee event of a granted US patent: a fee paid (and for which year),
a reminder, an expiry for non-payment (``EXP.``), a reinstatement (``EXPX``), an entity-status
change. The legal-status engine reads them with ``refdata/inpadoc_event_codes.csv`` (authority
US). Layout and field checks: ``events``. A line that is not an event is quarantined with the
fields that are wrong; an empty line is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, ClassVar

from patentreach.sources.base import Parsed, Quarantined, Skipped, Sniff, Source, Unit
from patentreach.sources.uspto_maintenance.events import LINE, LineError, event_of_line


class UsptoMaintenanceFeeEvents(Source):
    name: ClassVar[str] = "uspto-maintenance-fee-events"
    reader_version: ClassVar[str] = "1.0"
    description: ClassVar[str] = "USPTO Patent Maintenance Fee Events (MaintFeeEvents_*.txt, PTMNFEE2)"

    def sniff(self, head: bytes) -> Sniff | None:
        lines = [line for line in head.splitlines()[:20] if line.strip()]
        if len(lines) > 1:
            lines = lines[:-1]  # the last line of a 64 KB head may be cut
        if lines and all(LINE.match(line) for line in lines):
            return Sniff(0.9, "PTMNFEE2")
        return None

    def units(self, stream: BinaryIO) -> Iterator[Unit]:
        for index, line in enumerate(stream):
            yield Unit(index, index + 1, line)

    def parse(self, unit: Unit, source_file: str) -> Parsed:
        data = unit.data
        assert isinstance(data, bytes)
        text = data.decode("ascii", "replace").rstrip("\r\n")
        if not text.strip():
            return Parsed(skipped=Skipped(unit.index, "empty line"))
        try:
            event = event_of_line(text, source_file, unit.index, self.reader_version)
        except LineError as exc:
            return Parsed(quarantined=Quarantined(unit.index, unit.line, [f"{exc} at line {unit.line}"], data))
        return Parsed.of_events([event])
