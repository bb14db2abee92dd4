"""EPO DOCDB exchange XML: bulk ``exch:exchange-documents`` files and fragments cut from them.

Each ``exchange-document`` is one publication of any office (the DOCDB backfile holds DE, WO,
AP, YU ... documents), and lands as that office. Fragments without the ``xmlns:exch``
declaration are repaired with a warning; fragments with the prefixes stripped read as they are.
The mapping itself (``exchange_document``) is shared with the OPS reader, which prints the same
element in the default namespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO, ClassVar

from patentreach.sources.base import Parsed, Sniff, Source, Unit
from patentreach.sources.docdb.collector import collector_paused
from patentreach.sources.docdb.document_parse import UnitError, parse_unit
from patentreach.sources.docdb.exchange_document import record_from_exchange
from patentreach.sources.docdb.exchange_parties import DOCDB_FORMS
from patentreach.sources.docdb.splitting import split_exchange_documents
from patentreach.sources.file_lines import located_quarantine

_DOCUMENT = re.compile(rb"<(?:exch:)?exchange-documents?[\s>]")
_OPS_ROOT = re.compile(rb"<(?:[\w.-]+:)?world-patent-data[\s>]")
_VERSION = re.compile(rb'<(?:exch:)?exchange-documents[^>]*\sdtd-version="([^"]*)"', re.S)
# Elements the mapping (``exchange_document``) walks into, and those it never reads inside.
_CONTAINERS = frozenset({"exchange-documents", "exchange-document", "bibliographic-data"})
_UNUSED = frozenset(
    {"abstract", "patent-family", "references-cited", "designation-of-states", "dates-of-public-availability"}
)


class DocdbXml(Source):
    name: ClassVar[str] = "epo-docdb-xml"
    reader_version: ClassVar[str] = "1.0"
    description: ClassVar[str] = "EPO DOCDB exchange XML (exch:exchange-document), bulk files and cut fragments"

    def sniff(self, head: bytes) -> Sniff | None:
        # OPS responses hold exchange-documents too, inside ops:world-patent-data: not ours.
        if not _DOCUMENT.search(head) or _OPS_ROOT.search(head):
            return None
        version = _VERSION.search(head)
        return Sniff(0.9, version.group(1).decode("ascii", "replace") if version else "fragment")

    def units(self, stream: BinaryIO) -> Iterator[Unit]:
        return split_exchange_documents(stream)

    def parse(self, unit: Unit, source_file: str) -> Parsed:
        with collector_paused():  # a unit's tree holds no cycles: see ``collector``
            return self._parse(unit, source_file)

    def _parse(self, unit: Unit, source_file: str) -> Parsed:
        data = unit.data
        assert isinstance(data, bytes)
        try:
            parsed = parse_unit(data, f"record {unit.index}", light=True, containers=_CONTAINERS, unused=_UNUSED)
        except UnitError as exc:
            return Parsed(quarantined=located_quarantine(unit, str(exc), exc.line, exc.column))
        root = parsed.root
        document = root if root.tag == "exchange-document" else root.find("exchange-document")
        if document is None:
            return Parsed(
                quarantined=located_quarantine(unit, f"root element <{root.tag}> is not an exchange-document"),
                warnings=parsed.warnings,
            )
        version = root.get("dtd-version") or "fragment"
        record, problems = record_from_exchange(
            document, DOCDB_FORMS, self.name, f"{self.reader_version}/{version}", source_file, unit.index
        )
        if record is None:
            return Parsed(quarantined=located_quarantine(unit, "; ".join(problems)), warnings=parsed.warnings)
        return Parsed(record=record, warnings=parsed.warnings)


