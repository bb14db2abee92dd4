"""USPTO grant full-text and bibliographic XML, ICE DTD v4.0 (2005) to v4.7 (2022-).

The versions differ in where parties and IPC live (``parties`` vs ``us-parties``; edition-7
``classification-ipc`` text vs ``classification-ipcr`` elements); ``ice_v4`` reads both, so one
module serves every v4 version and the version string is kept in provenance only.
"""

from __future__ import annotations

from lxml import etree

from patentreach.model.records import PatentRecord
from patentreach.sources.uspto_common import ice_record

BIBLIO = b"us-bibliographic-data-grant"
# Parts of the bibliographic data the model does not use, cut before parsing for speed.
UNUSED = (
    b"us-references-cited", b"references-cited", b"us-field-of-classification-search", b"field-of-search",
    b"examiners", b"agents", b"figures",
)


def record_from_biblio(
    root: etree._Element, source_format: str, reader_version: str, source_file: str, index: int
) -> tuple[PatentRecord | None, list[str]]:
    """Map one grant's bibliographic element to the canonical record, or list its problems."""
    return ice_record.record_from_biblio(
        root, "us-bibliographic-data-grant", source_format, reader_version, source_file, index
    )
