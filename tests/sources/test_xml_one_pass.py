"""The faster USPTO XML path (issue 20) gives exactly what the slower one gave.

* well-formedness is checked by libxml2 in one C pass; a refused document keeps expat's message;
* the bibliographic fragment is mapped from C ElementTree elements (``light``): the records equal
  those mapped from lxml elements, for every real sample grant and application;
* ``ice_v4.each``/``first`` find what ElementPath finds, in the same order.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ElementTree

import pytest
from lxml import etree

from patentreach.sources.concatenated_xml import split_documents
from patentreach.sources.uspto_application import v4 as application_v4
from patentreach.sources.uspto_common import ice_v4
from patentreach.sources.uspto_common.document import (
    DocumentError,
    check_well_formed,
    envelope,
    parse_section,
)
from patentreach.sources.uspto_grant import v4 as grant_v4
from tests.conftest import shared_path

GRANT_FILES = [
    "uspto-grant-xml/ipg-weekly-samples/ipg050104.small.xml",
    "uspto-grant-xml/ipg-weekly-samples/ipg080101.small.xml",
    "uspto-grant-xml/ipg-weekly-samples/ipg120103.small.xml",
    "uspto-grant-xml/ipg-weekly-samples/ipg120327.196-designs.xml",
    "uspto-grant-xml/ipgb-biblio/ipgb20221025.xml",
    "uspto-grant-xml/single-docs/go-uspto_v4-5-B2_US11147202.xml",
]
APPLICATION_FILES = [
    "uspto-application-xml/go-uspto_v4-0-A1.xml",
    "uspto-application-xml/go-uspto_v4-4-A2.xml",
    "uspto-application-xml/go-uspto_v4-5-A1.xml",
    "uspto-application-xml/ipa130117.one.xml",
]


def _documents(relative: str, root: bytes) -> list[bytes]:
    with open(shared_path("data", *relative.split("/")), "rb") as handle:
        return [u.data for u in split_documents(handle) if b"<" + root in u.data[:4000]]


@pytest.mark.parametrize("relative", GRANT_FILES)
def test_grant_records_from_light_elements_equal_those_from_lxml(relative):
    documents = _documents(relative, b"us-patent-grant")
    assert documents
    for index, document in enumerate(documents):
        env = envelope(document)
        light = parse_section(document, env, grant_v4.BIBLIO, grant_v4.UNUSED, light=True)
        full = parse_section(document, env, grant_v4.BIBLIO, grant_v4.UNUSED)
        assert isinstance(light, ElementTree.Element) and isinstance(full, etree._Element)
        assert grant_v4.record_from_biblio(light, "f", "v", relative, index) == grant_v4.record_from_biblio(
            full, "f", "v", relative, index
        )


@pytest.mark.parametrize("relative", APPLICATION_FILES)
def test_application_records_from_light_elements_equal_those_from_lxml(relative):
    documents = _documents(relative, b"us-patent-application")
    assert documents
    for index, document in enumerate(documents):
        env = envelope(document)
        light = parse_section(document, env, application_v4.BIBLIO, light=True)
        full = parse_section(document, env, application_v4.BIBLIO)
        assert application_v4.record_from_biblio(light, "f", "v", relative, index) == (
            application_v4.record_from_biblio(full, "f", "v", relative, index)
        )


def test_a_fragment_expat_refuses_is_parsed_by_lxml_and_reported_as_before():
    document = b'<?xml version="1.0"?>\n<us-patent-grant><us-bibliographic-data-grant>&undeclared;' \
               b"</us-bibliographic-data-grant></us-patent-grant>"
    with pytest.raises(DocumentError, match="Entity 'undeclared' not defined"):
        parse_section(document, envelope(document), grant_v4.BIBLIO, light=True)


def test_the_malformed_mathml_grant_keeps_expats_message_and_line():
    (document,) = _documents("uspto-grant-xml/quirks/US07057742-20060606.malformed-mathml.XML", b"us-patent-grant")
    with pytest.raises(DocumentError) as caught:
        check_well_formed(document)
    assert (str(caught.value), caught.value.line, caught.value.column) == (
        "not well-formed XML: mismatched tag", 880, 2
    )


def test_a_document_past_libxml2s_depth_limit_is_refused_with_libxml2s_message():
    deep = b"<a>" + b"<b>" * 300 + b"</b>" * 300 + b"</a>"  # well-formed, but 301 levels deep
    with pytest.raises(DocumentError, match=r"^not well-formed XML: Excessive depth in document: 257"):
        check_well_formed(deep)


def test_every_real_grant_passes_the_check():
    for relative in GRANT_FILES:
        for document in _documents(relative, b"us-patent-grant"):
            check_well_formed(document)


NESTED = (
    b"<r><a><x>1</x></a><a><b><c>first</c></b><b><c>second</c></b></a>"
    b"<a><b><c>third</c></b></a><d>top</d><p:e xmlns:p='urn:p'>ns</p:e></r>"
)
PATHS = ["a/b/c", "a/b", "a/x", "d", "a/z", "a//c", ".//c", "a/*/c", "{urn:p}e"]


@pytest.mark.parametrize("parse", [etree.fromstring, ElementTree.fromstring], ids=["lxml", "elementtree"])
@pytest.mark.parametrize("path", PATHS)
def test_each_and_first_find_what_elementpath_finds_in_the_same_order(parse, path):
    root = parse(NESTED)
    assert list(ice_v4.each(root, path)) == list(root.iterfind(path))
    assert ice_v4.first(root, path) == root.find(path)
    expected = root.findtext(path)
    assert ice_v4.text(root, path) == (expected.strip() or None if expected is not None else None)


def test_text_of_a_path_takes_the_first_a_that_has_the_child():
    root = ElementTree.fromstring(NESTED)
    assert ice_v4.text(root, "a/b/c") == "first"


def test_splitting_in_small_blocks_cuts_the_same_documents_at_the_same_lines():
    path = shared_path("data", "uspto-grant-xml", "ipg-weekly-samples", "ipg060103.small.xml")
    data = path.read_bytes()
    whole = list(split_documents(io.BytesIO(data)))
    small = list(split_documents(io.BytesIO(data), block_size=997))
    assert [(u.index, u.line, u.data) for u in small] == [(u.index, u.line, u.data) for u in whole]
    assert b"".join(u.data for u in whole) == data  # nothing lost or repeated between documents
    assert whole[0].line == 1 and whole[1].line == 1 + whole[0].data.count(b"\n")
