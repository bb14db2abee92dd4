"""USPTO patent grant XML: weekly full-text ``ipg`` and bibliographic ``ipgb`` files (ICE DTD
v4.0-v4.7, 2005-), and the ``pg`` files before them (ST.32 ``PATDOC`` DTD 2.5, 2001-2004).

A weekly file concatenates one XML document per grant, interleaved with ``sequence-cwu``
sequence-listing documents, which are skipped and counted. Each document's own root chooses the
version module: ``us-patent-grant`` -> ``v4`` (its ``dtd-version`` kept in provenance),
``PATDOC`` -> ``v25``. PATDOC documents use named entities defined only in their external DTD;
they are rewritten from the built-in table first (``named_entities``). The v4 path does no such
work: its files use numeric references only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO, ClassVar

from patentreach.sources import named_entities
from patentreach.sources.base import Parsed, Skipped, Sniff, Source, Unit
from patentreach.sources.byte_order_mark import without_bom
from patentreach.sources.concatenated_xml import split_documents
from patentreach.sources.file_lines import located_quarantine
from patentreach.sources.uspto_common.document import (
    DocumentError,
    Envelope,
    check_references,
    check_well_formed,
    cut_with_envelope,
    envelope,
    parse_section,
)
from patentreach.sources.uspto_grant import v4, v25

_GRANT_ROOT = re.compile(rb"<us-patent-grant[\s>]")
_VERSION = re.compile(rb'<us-patent-grant[^>]*dtd-version="([^"]*)"', re.S)
_PATDOC = re.compile(rb"<!DOCTYPE\s+PATDOC[\s>\[]|<PATDOC[\s>]")
_PATDOC_VERSION = re.compile(rb'<PATDOC[^>]*\sDTD="([^"]*)"', re.S)
NON_PATENT_ROOTS = frozenset({"sequence-cwu"})


class UsptoGrantXml(Source):
    name: ClassVar[str] = "uspto-grant-xml"
    reader_version: ClassVar[str] = "1.1"
    description: ClassVar[str] = (
        "USPTO grant XML, ICE DTD v4.0-v4.7 (weekly ipg / ipgb files) and PATDOC DTD 2.5 (pg, 2001-2004)"
    )

    def sniff(self, head: bytes) -> Sniff | None:
        if _GRANT_ROOT.search(head):
            version = _VERSION.search(head)
            return Sniff(0.95, version.group(1).decode("ascii", "replace") if version else "")
        if _PATDOC.search(head):
            version = _PATDOC_VERSION.search(head)
            return Sniff(0.95, f"PATDOC {version.group(1).decode('ascii', 'replace')}" if version else "PATDOC")
        return None

    def units(self, stream: BinaryIO) -> Iterator[Unit]:
        return split_documents(without_bom(stream))

    def range_units(self, stream: BinaryIO, first_index: int, first_line: int) -> Iterator[Unit]:
        """The units of a byte range of a weekly file that starts at a ``<?xml`` declaration
        (``concatenated_xml.declaration_ranges``): what ``units`` yields for that stretch, so that
        parse workers can each split and parse their own part of the file."""
        return split_documents(stream, first_index=first_index, first_line=first_line)

    def parse(self, unit: Unit, source_file: str) -> Parsed:
        unit, warnings, env = cut_with_envelope(unit)
        parsed = self._parse_document(unit, source_file, env)
        parsed.warnings[:0] = warnings
        return parsed

    def _parse_document(self, unit: Unit, source_file: str, known: Envelope | None = None) -> Parsed:
        document = unit.data
        assert isinstance(document, bytes)
        try:
            env = known or envelope(document)  # the envelope is found once per document
            if env.root in NON_PATENT_ROOTS:
                return Parsed(skipped=Skipped(unit.index, f"{env.root} document (not a patent)"))
            if env.root == "PATDOC":
                return self._parse_patdoc(unit, document, env, source_file)
            if env.root != "us-patent-grant":
                raise DocumentError(f"root element <{env.root}> is not a USPTO grant")
            check_well_formed(document)
            check_references(document, env)
            root = parse_section(document, env, v4.BIBLIO, v4.UNUSED, light=True)
        except DocumentError as exc:
            return Parsed(quarantined=located_quarantine(unit, str(exc), exc.line, exc.column))
        record, problems = v4.record_from_biblio(
            root, self.name, f"{self.reader_version}/{env.dtd_version}", source_file, unit.index
        )
        if record is None:
            return Parsed(quarantined=located_quarantine(unit, "; ".join(problems)))
        return Parsed(record=record)

    def _parse_patdoc(self, unit: Unit, document: bytes, env: Envelope, source_file: str) -> Parsed:
        """PATDOC 2.5: resolve named entities, check, then map the ``SDOBI`` section."""
        try:
            resolved = named_entities.resolve_document(document, env.root_start)
        except named_entities.UnknownEntityError as exc:
            return Parsed(quarantined=located_quarantine(unit, str(exc), exc.line, exc.column))
        try:
            check_well_formed(resolved)
            root = parse_section(resolved, env, v25.BIBLIO)
        except DocumentError as exc:
            return Parsed(quarantined=located_quarantine(unit, str(exc), exc.line, exc.column))
        version = _PATDOC_VERSION.search(document, env.root_start)
        dtd = version.group(1).decode("ascii", "replace") if version else ""
        record, problems = v25.record_from_sdobi(
            root, self.name, f"{self.reader_version}/PATDOC {dtd}".rstrip(), source_file, unit.index
        )
        if record is None:
            return Parsed(quarantined=located_quarantine(unit, "; ".join(problems)))
        return Parsed(record=record)


