"""The faster EPO XML path (issue 20) gives exactly what the lxml path gave.

DOCDB units, OPS bibliographic records and the EP ``SDOBI`` fragment are parsed by the standard
library's C ``ElementTree`` and mapped from its elements; when expat refuses a unit, lxml parses it
as before. Forcing that fallback for every unit (expat made to refuse everything) is the old path,
so the two outcomes are compared on every real sample file: records, quarantine entries, skips,
warnings and legal events must be equal, and the fast path must really have been taken.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ElementTree

import pytest

from patentreach.model.records import PatentRecord
from patentreach.sources import source_named
from patentreach.sources.base import Parsed
from patentreach.sources.docdb.document_parse import UnitError, parse_unit
from patentreach.sources.docdb.namespaces import plain_names
from tests.conftest import shared_path
from tests.sources.samples import SAMPLES

READERS = ("epo-docdb-xml", "epo-ops-xml", "epo-ep-xml")
CASES = [(name, relative) for name in READERS for relative in SAMPLES[name]]


def _parsed(name: str, relative: str) -> list[Parsed]:
    source = source_named(name)
    with open(shared_path("data", *relative.split("/")), "rb") as handle:
        return [source.parse(unit, relative) for unit in source.units(io.BufferedReader(handle))]


@pytest.mark.parametrize(("name", "relative"), CASES, ids=[r.rsplit("/", 1)[-1] for _, r in CASES])
def test_outcomes_from_c_elementtree_equal_those_from_lxml(name, relative, monkeypatch):
    parsed_by_expat = []
    real = ElementTree.fromstring

    def counting(data, parser=None):  # type: ignore[no-untyped-def]
        element = real(data, parser)
        parsed_by_expat.append(element.tag)
        return element

    monkeypatch.setattr(ElementTree, "fromstring", counting)
    fast = _parsed(name, relative)

    def refusing(data, parser=None):  # type: ignore[no-untyped-def]
        raise ElementTree.ParseError("refused by the test: the lxml path")

    monkeypatch.setattr(ElementTree, "fromstring", refusing)
    old = _parsed(name, relative)
    assert fast and fast == old
    publications = sum(1 for item in fast if isinstance(item.record, PatentRecord))
    # every publication came through expat (legal-event and register units keep lxml)
    assert len(parsed_by_expat) >= publications


def test_plain_names_drops_element_namespaces_and_keeps_attribute_ones():
    root = ElementTree.fromstring(
        b'<exch:a xmlns:exch="http://www.epo.org/exchange" xmlns="urn:d" xmlns:x="urn:x">'
        b'<b x:k="1" k="2"><exch:c/></b><plain xmlns=""/></exch:a>'
    )
    plain_names(root)
    assert [e.tag for e in root.iter()] == ["a", "b", "c", "plain"]
    assert root.find("b").attrib == {"{urn:x}k": "1", "k": "2"}


def test_a_unit_expat_refuses_is_quarantined_with_libxml2s_message_as_before():
    data = b'<exchange-document country="DE"><bibliographic-data></exchange-document>'
    with pytest.raises(UnitError) as light:
        parse_unit(data, "record 0", light=True)
    with pytest.raises(UnitError) as full:
        parse_unit(data, "record 0")
    assert str(light.value) == str(full.value)
    assert str(light.value).startswith("not well-formed XML: Opening and ending tag mismatch: bibliographic-data")
    assert (light.value.line, light.value.column) == (full.value.line, full.value.column) == (1, 73)


def test_an_undeclared_exch_prefix_is_repaired_with_a_warning_on_the_fast_path_too():
    parsed = parse_unit(b"<exch:exchange-document><exch:bibliographic-data/></exch:exchange-document>",
                        "record 3", light=True)
    assert isinstance(parsed.root, ElementTree.Element)
    assert [e.tag for e in parsed.root.iter()] == ["exchange-document", "bibliographic-data"]
    assert parsed.warnings == [
        "record 3: namespace declaration missing (xmlns:exch; a fragment cut from a bulk file); "
        "repaired by declaring it on the first element"
    ]
