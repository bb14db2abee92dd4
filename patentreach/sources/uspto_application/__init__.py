"""USPTO pre-grant publication (application) XML: weekly ``ipa`` files in ICE DTD v4.0-v4.6
(2005-) and the ``pa`` files before them, ``patent-application-publication`` pap-v1.5 / v1.6
(2001-2004).

Like the grant reader: one unit per concatenated document (a file may also be a single document
without XML declaration or DOCTYPE), sequence listings skipped, the document's own root choosing
the module (``us-patent-application`` -> ``v4``, ``patent-application-publication`` -> ``pap``).
pap documents use named entities from their external DTD; those are rewritten from the built-in
table (``named_entities``) before the well-formedness check, never by loading the DTD.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO, ClassVar

from patentreach.model.records import PatentRecord
from patentreach.sources import named_entities
from patentreach.sources.base import Parsed, Skipped, Sniff, Source, Unit
from patentreach.sources.byte_order_mark import without_bom
from patentreach.sources.concatenated_xml import split_documents
from patentreach.sources.file_lines import located_quarantine
from patentreach.sources.uspto_application import pap, v4
from patentreach.sources.uspto_common.document import (
    DocumentError,
    Envelope,
    check_references,
    check_well_formed,
    cut_with_envelope,
    envelope,
    parse_section,
)

V4_ROOT = "us-patent-application"
PAP_ROOT = "patent-application-publication"
NON_PATENT_ROOTS = frozenset({"sequence-cwu"})

_V4 = re.compile(rb"<us-patent-application[\s>]")
_V4_VERSION = re.compile(rb'<us-patent-application[^>]*dtd-version="([^"]*)"', re.S)
_PAP = re.compile(rb"<!DOCTYPE\s+patent-application-publication[\s>\[]|<patent-application-publication[\s>]")
# The pap DTD version is only in the DOCTYPE's system id: pap-v15-2001-01-31.dtd
_PAP_VERSION = re.compile(rb"pap-v(\d)(\d+)-(\d{4}-\d\d-\d\d)\.dtd")


def pap_version(document: bytes) -> str:
    """``pap v1.5 2001-01-31`` from the DOCTYPE (``pap`` when it names no version)."""
    match = _PAP_VERSION.search(document, 0, 4096)
    if not match:
        return "pap"
    major, minor, day = (g.decode("ascii") for g in match.groups())
    return f"pap v{major}.{minor} {day}"


class UsptoApplicationXml(Source):
    name: ClassVar[str] = "uspto-application-xml"
    reader_version: ClassVar[str] = "1.0"
    description: ClassVar[str] = (
        "USPTO pre-grant publication XML, ICE DTD v4.0-v4.6 (weekly ipa files) and pap v1.5/v1.6 "
        "(pa, 2001-2004)"
    )

    def sniff(self, head: bytes) -> Sniff | None:
        if _V4.search(head):
            version = _V4_VERSION.search(head)
            return Sniff(0.95, version.group(1).decode("ascii", "replace") if version else "")
        if _PAP.search(head):
            return Sniff(0.95, pap_version(head))
        return None

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
        try:
            env = known or envelope(document)  # the envelope is found once per document
            if env.root in NON_PATENT_ROOTS:
                return Parsed(skipped=Skipped(unit.index, f"{env.root} document (not a patent)"))
            if env.root == V4_ROOT:
                check_well_formed(document)
                check_references(document, env)
                root = parse_section(document, env, v4.BIBLIO, light=True)
                record, problems = v4.record_from_biblio(
                    root, self.name, f"{self.reader_version}/{env.dtd_version}", source_file, unit.index
                )
            elif env.root == PAP_ROOT:
                record, problems = self._parse_pap(document, env, source_file, unit.index)
            else:
                raise DocumentError(f"root element <{env.root}> is not a USPTO application publication")
        except named_entities.UnknownEntityError as exc:
            return Parsed(quarantined=located_quarantine(unit, str(exc), exc.line, exc.column))
        except DocumentError as exc:
            return Parsed(quarantined=located_quarantine(unit, str(exc), exc.line, exc.column))
        if record is None:
            return Parsed(quarantined=located_quarantine(unit, "; ".join(problems)))
        return Parsed(record=record)

    def _parse_pap(
        self, document: bytes, env: Envelope, source_file: str, index: int
    ) -> tuple[PatentRecord | None, list[str]]:
        """Resolve named entities, check the whole document, map its bibliographic subdocument."""
        resolved = named_entities.resolve_document(document, env.root_start)
        check_well_formed(resolved)
        root = parse_section(resolved, env, pap.BIBLIO)
        return pap.record_from_biblio(
            root, self.name, f"{self.reader_version}/{pap_version(document)}", source_file, index
        )


