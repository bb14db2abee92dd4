"""EPO Open Patent Services (OPS v3.2) XML responses: biblio, family (with biblio), search,
published equivalents, legal and register responses.

Every record of a response is read and counted: bibliographic documents and family members
become publications with their DOCDB family id; a legal-event family member becomes the transfer
records of its ownership-change and licence events (``legal_events``) and every event a
``legal_events`` row (``legal_event_rows``); an EP Register document its dated procedural steps
(``register_events``); records that are neither
(legal members without such events, equivalents without kind codes, bare search hits, register
documents) are skipped with a reason, so a folder ingest never stops on them. See ``members``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO, ClassVar

from patentreach.sources.base import Parsed, Skipped, Sniff, Source, Unit
from patentreach.sources.docdb.document_parse import UnitError, parse_unit
from patentreach.sources.docdb.exchange_document import record_from_exchange
from patentreach.sources.docdb.exchange_parties import OPS_FORMS
from patentreach.sources.file_lines import located_quarantine
from patentreach.sources.ops.legal_event_rows import events_of_member
from patentreach.sources.ops.legal_events import transfers_of_member
from patentreach.sources.ops.members import SKIP_REASONS, record_from_member
from patentreach.sources.ops.register_events import register_events
from patentreach.sources.ops.response_splitting import ROOT, shape, split_response

_OPS_NAMESPACE = b'"http://ops.epo.org"'
_LEGAL_OR_REGISTER = re.compile(rb'<(?:[\w.-]+:)?(?:patent-family[^>]*\slegal="true"|register-document[\s>])')
FORMAT_VERSION = "3.2"


class OpsXml(Source):
    name: ClassVar[str] = "epo-ops-xml"
    reader_version: ClassVar[str] = "1.1"
    description: ClassVar[str] = "EPO OPS v3.2 XML responses (ops:world-patent-data)"

    def sniff(self, head: bytes) -> Sniff | None:
        if not ROOT.search(head) or _OPS_NAMESPACE not in head:
            return None
        found = shape(head)
        response = found.record or "empty"
        if found.legal:
            response = "legal-family"
        return Sniff(0.93, f"{FORMAT_VERSION} {response}")

    def units(self, stream: BinaryIO) -> Iterator[Unit]:
        return split_response(stream)

    def parse(self, unit: Unit, source_file: str) -> Parsed:
        data = unit.data
        assert isinstance(data, bytes)
        # Legal families and EP Register documents keep lxml elements (their event readers use
        # lxml); every bibliographic record is mapped from C ElementTree elements (faster).
        light = not ((b'legal="true"' in data or b"register-document" in data)  # fast byte scans first
                     and _LEGAL_OR_REGISTER.search(data))
        try:
            parsed = parse_unit(data, f"record {unit.index}", light=light)
        except UnitError as exc:
            return Parsed(quarantined=located_quarantine(unit, str(exc), exc.line, exc.column))
        container = parsed.root
        family = container.find("patent-family")
        record_element = next(iter(family if family is not None else container))
        if record_element is None:
            return Parsed(quarantined=located_quarantine(unit, "OPS response holds no record"))
        tag = record_element.tag
        version = f"{self.reader_version}/{FORMAT_VERSION}"
        if tag == "register-document" and (events := register_events(data, source_file, unit.index, version)):
            return Parsed.of_events(events, parsed.warnings)  # the EP Register's dated steps
        if tag in SKIP_REASONS:
            return Parsed(skipped=Skipped(unit.index, SKIP_REASONS[tag]), warnings=parsed.warnings)
        if tag == "family-member":
            if family is not None and family.get("legal") == "true":
                transfers, notes, events = transfers_of_member(
                    record_element, self.name, version, source_file, unit.index
                )
                rows = events_of_member(record_element, version, source_file, unit.index)
                if rows:  # every event as a legal_events row too
                    base = Parsed.of_transfers(transfers, parsed.warnings + notes) if transfers else None
                    return Parsed.of_events(rows, parsed.warnings, base)
                if transfers:
                    return Parsed.of_transfers(transfers, parsed.warnings + notes)
                reason = f"{SKIP_REASONS['legal']} ({events} events)"
                return Parsed(skipped=Skipped(unit.index, reason), warnings=parsed.warnings)
            record, problems = record_from_member(record_element, self.name, version, source_file, unit.index)
        elif tag == "exchange-document":
            record, problems = record_from_exchange(
                record_element, OPS_FORMS, self.name, version, source_file, unit.index
            )
        else:
            record, problems = None, [f"OPS record <{tag}> is not a known record type"]
        if record is None:
            return Parsed(quarantined=located_quarantine(unit, "; ".join(problems)), warnings=parsed.warnings)
        return Parsed(record=record, warnings=parsed.warnings)


