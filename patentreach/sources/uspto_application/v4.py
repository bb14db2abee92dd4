"""USPTO pre-grant publication XML, ICE DTD v4.0 (2005) to v4.6 (2022-): weekly ``ipa`` files.

The bibliographic element is ``us-bibliographic-data-application``; inside it the structures are
the grant's (``uspto_common.ice_v4``): document ids, ``parties`` (v4.0-4.2, inventors as
``applicant-inventor``) or ``us-parties`` (v4.3+, ``us-applicant`` with an
``applicant-authority-category`` such as ``assignee`` or ``inventor``, inventors listed apart),
``assignees``, IPC/CPC, priority claims, the PCT filing and ``us-related-documents``.
The kind (A1 first publication, A2 republication, A9 correction) decides the document type
through ``kind_codes``, so that an application is counted once.
"""

from __future__ import annotations

from lxml import etree

from patentreach.model.records import PatentRecord
from patentreach.sources.uspto_common import ice_record

BIBLIO = b"us-bibliographic-data-application"


def record_from_biblio(
    root: etree._Element, source_format: str, reader_version: str, source_file: str, index: int
) -> tuple[PatentRecord | None, list[str]]:
    """Map one application's bibliographic element to the canonical record, or list its problems."""
    return ice_record.record_from_biblio(
        root, "us-bibliographic-data-application", source_format, reader_version, source_file, index
    )
