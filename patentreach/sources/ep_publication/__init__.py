"""EP publication-server XML: one ``ep-patent-document`` per file (DTD v1.0 to v1.5.1).

A1/A2 applications, A3 search reports and B1/B2 specifications share one root. Only the
bibliography (``SDOBI``) is parsed; the description and claims are checked for well-formedness by
expat and not built into a tree. The files start with an XML comment and a PUBLIC DOCTYPE (v1.5
on) that is never loaded; character entity names are made numeric before parsing
(``docdb.char_entities``). Files holding several concatenated documents are split like USPTO files.
"""

from __future__ import annotations

import contextlib
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from typing import BinaryIO, ClassVar

from lxml import etree

from patentreach.sources.base import Parsed, Sniff, Source, Unit
from patentreach.sources.byte_order_mark import without_bom
from patentreach.sources.concatenated_xml import split_documents
from patentreach.sources.docdb.char_entities import is_character_name, replace_named_references
from patentreach.sources.ep_publication.sdobi import record_from_sdobi
from patentreach.sources.file_lines import located_quarantine
from patentreach.sources.uspto_common.document import (
    DocumentError,
    Envelope,
    check_references,
    check_well_formed,
    cut_with_envelope,
    envelope,
)
from patentreach.sources.xml_safety import declaration_of, parse_bytes

ROOT = "ep-patent-document"
_ROOT_TAG = re.compile(rb"<ep-patent-document[\s>]")
_VERSION = re.compile(rb'<ep-patent-document[^>]*\sdtd-version="([^"]*)"', re.S)


class EpPublicationXml(Source):
    name: ClassVar[str] = "epo-ep-xml"
    reader_version: ClassVar[str] = "1.0"
    description: ClassVar[str] = "EP publication-server XML (ep-patent-document, DTD v1.0-v1.5.1)"

    def sniff(self, head: bytes) -> Sniff | None:
        if not _ROOT_TAG.search(head):
            return None
        version = _VERSION.search(head)
        return Sniff(0.95, _short_version(version.group(1)) if version else "")

    def units(self, stream: BinaryIO) -> Iterator[Unit]:
        return split_documents(without_bom(stream))

    def parse(self, unit: Unit, source_file: str) -> Parsed:
        unit, warnings, env = cut_with_envelope(unit)
        parsed = self._parse_document(unit, source_file, env)
        parsed.warnings[:0] = warnings
        return parsed

    def _parse_document(self, unit: Unit, source_file: str, known: Envelope | None = None) -> Parsed:
        document = unit.data
        assert isinstance(document, bytes)
        warnings: list[str] = []
        try:
            env = known or envelope(document)  # the envelope is found once per document
            if env.root != ROOT:
                raise DocumentError(f"root element <{env.root}> is not an {ROOT}")
            check_well_formed(document)
            check_references(document, env, is_character_name)
            root = _bibliography(document, env.root_start, warnings, unit.index)
        except DocumentError as exc:
            return Parsed(quarantined=located_quarantine(unit, str(exc), exc.line, exc.column))
        version = _short_version(env.dtd_version.encode())
        record, problems = record_from_sdobi(
            root, self.name, f"{self.reader_version}/{version}", source_file, unit.index
        )
        if record is None:
            return Parsed(
                quarantined=located_quarantine(unit, "; ".join(problems)),
                warnings=warnings,
            )
        return Parsed(record=record, warnings=warnings)


def _short_version(raw: bytes) -> str:
    """``ep-patent-document-v1-5-1`` -> ``v1.5.1``."""
    value = raw.decode("ascii", "replace")
    match = re.search(r"v(\d+(?:-\d+)*)$", value)
    return "v" + match.group(1).replace("-", ".") if match else value


def _bibliography(document: bytes, root_start: int, warnings: list[str], index: int) -> etree._Element:
    """The root start tag plus ``SDOBI``, parsed as a small document.

    The standard library's C ``ElementTree`` parses it (the whole document was checked by
    libxml2 already): its elements are plain C objects, where lxml makes a Python proxy for each
    element the mapping looks up, which made mapping slower than parsing. The mapping uses only
    the API both share; a fragment expat refuses (an encoding it lacks) is parsed by lxml, and
    reported as before when lxml refuses it too."""
    start_tag_end = document.find(b">", root_start) + 1
    start = document.find(b"<SDOBI", start_tag_end)
    end = document.find(b"</SDOBI>", start)
    if start < 0 or end < 0:
        raise DocumentError("no complete <SDOBI> bibliography element")
    small = (declaration_of(document) + document[root_start:start_tag_end] + document[start : end + 8]
             + b"</" + ROOT.encode() + b">")
    small, unknown = replace_named_references(small)
    if unknown:
        warnings.append(f"record {index}: unknown character entity names kept as text: {', '.join(unknown)}")
    with contextlib.suppress(ElementTree.ParseError):
        return ElementTree.fromstring(small)  # type: ignore[return-value]
    try:
        return parse_bytes(small)
    except etree.XMLSyntaxError as exc:
        line = document.count(b"\n", 0, start) + (exc.lineno or 1)
        raise DocumentError(f"not well-formed XML: {exc.msg}", line=line) from None


