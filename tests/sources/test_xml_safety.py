"""Hostile XML is refused before any entity can be expanded or fetched; entity declarations are
judged by the XML grammar; reasons quote the line in the file; encodings and byte order marks are
honoured."""

import pytest

from patentreach.sources.base import Unit
from patentreach.sources.ep_publication import EpPublicationXml
from patentreach.sources.uspto_application import UsptoApplicationXml
from patentreach.sources.uspto_grant import UsptoGrantXml
from patentreach.sources.xml_safety import UnsafeXMLError, check_prolog
from patentreach.warehouse import Warehouse, connect
from patentreach.warehouse.ingest import ingest
from tests.conftest import shared_path
from tests.sources.vendor_helpers import counts, read_bytes

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE us-patent-grant [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<us-patent-grant lang="EN" dtd-version="v4.5 2014-04-03">
<us-bibliographic-data-grant><invention-title>&lol9;</invention-title></us-bibliographic-data-grant>
</us-patent-grant>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE us-patent-grant [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<us-patent-grant lang="EN" dtd-version="v4.5 2014-04-03">
<us-bibliographic-data-grant><invention-title>&xxe;</invention-title></us-bibliographic-data-grant>
</us-patent-grant>
"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE us-patent-grant [ <!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote; ]>
<us-patent-grant lang="EN" dtd-version="v4.5 2014-04-03"><us-bibliographic-data-grant/></us-patent-grant>
"""


def _parse(document: bytes):
    return UsptoGrantXml().parse(Unit(index=3, line=40, data=document), "hostile.xml")


def test_billion_laughs_is_quarantined_without_expansion():
    parsed = _parse(BILLION_LAUGHS)
    assert parsed.record is None
    assert parsed.quarantined is not None
    assert "declares entity 'lol'" in parsed.quarantined.reason
    assert parsed.quarantined.index == 3
    assert parsed.quarantined.line == 42  # the declaration, on line 3 of a document starting at line 40
    assert parsed.quarantined.reason.endswith("at line 42")


def test_external_entity_is_quarantined_and_never_read():
    parsed = _parse(EXTERNAL_ENTITY)
    assert parsed.quarantined is not None
    assert "declares entity 'xxe'" in parsed.quarantined.reason
    assert "root:" not in parsed.quarantined.reason  # /etc/passwd content never appears


def test_parameter_entity_is_quarantined():
    parsed = _parse(PARAMETER_ENTITY)
    assert parsed.quarantined is not None
    assert "declares parameter entity 'remote'" in parsed.quarantined.reason


# --- the entity rules, by the grammar --------------------------------------------------------

# The word NDATA inside a quoted literal used to let an internal entity through.
BILLION_LAUGHS_VIA_NDATA_LITERAL = BILLION_LAUGHS.replace(b'"lol">', b'"lol NDATA">').replace(
    b';">', b'; NDATA">')
EP_GRANT = ("data", "epo-ep-publication-xml", "grant", "v1-5-B2.xml")
GRANT_V4 = ("data", "uspto-grant-xml", "single-docs", "go-uspto_v4-5-B1_US09358892.xml")
WEEKLY = ("data", "uspto-grant-xml", "ipgb-biblio", "ipgb20230404.xml")
MALFORMED = ("data", "uspto-grant-xml", "quirks", "US07057742-20060606.malformed-mathml.XML")


def test_billion_laughs_hidden_behind_ndata_in_a_literal_is_quarantined():
    assert BILLION_LAUGHS_VIA_NDATA_LITERAL.count(b"NDATA") == 4
    parsed = _parse(BILLION_LAUGHS_VIA_NDATA_LITERAL)
    assert parsed.record is None
    assert parsed.quarantined.reason.startswith("declares entity 'lol' in its DTD; only external unparsed entities")


@pytest.mark.parametrize("declaration", [
    b'<!ENTITY img1 SYSTEM "US06334226-20020101-D00000.TIF" NDATA TIF>',
    b"<!ENTITY img1 PUBLIC '-//USPTO//IMAGE' 'D00000.TIF'\n  NDATA TIF >",
])
def test_external_unparsed_entities_are_the_only_declarations_allowed(declaration):
    check_prolog(b"<!DOCTYPE x [" + declaration + b"]>")


@pytest.mark.parametrize(("declaration", "refusal"), [
    (b'<!ENTITY lol "lol NDATA">', "declares entity 'lol'"),
    (b'<!ENTITY xxe SYSTEM "file:///etc/passwd">', "declares entity 'xxe'"),
    (b'<!ENTITY xxe SYSTEM "a.TIF NDATA TIF">', "declares entity 'xxe'"),
    (b'<!ENTITY xxe SYSTEM "x>" NDATA TIF>  <!ENTITY y "boom">', "declares entity 'y'"),
    (b'<!ENTITY % remote SYSTEM "http://127.0.0.1/x.dtd" NDATA TIF>', "declares parameter entity 'remote'"),
    (b"<!ENTITY broken", "declares entity 'broken'"),
])
def test_every_other_entity_declaration_is_refused(declaration, refusal):
    with pytest.raises(UnsafeXMLError, match=refusal):
        check_prolog(b"<!DOCTYPE x [" + declaration + b"]>")


def test_a_real_grant_declaring_ndata_image_entities_is_stored():
    data = shared_path("data", "uspto-grant-xml", "pg-v2.5-2002", "go-uspto_v2-5-B1_US06334226.xml").read_bytes()
    assert data.count(b"NDATA TIF>") > 1
    assert counts(read_bytes(UsptoGrantXml(), data)) == {"stored": 1}


def test_a_real_application_declaring_ndata_image_entities_is_stored():
    data = shared_path("data", "uspto-application-xml", "go-uspto_v1-5-A1_2.xml").read_bytes()
    assert counts(read_bytes(UsptoApplicationXml(), data)) == {"stored": 1}


def test_an_ep_document_referencing_an_undeclared_entity_is_quarantined_not_stored_with_the_text():
    data = shared_path(*EP_GRANT).read_bytes().replace(b"Printing machine with cladding", b"Printing &xxe; machine")
    parsed = read_bytes(EpPublicationXml(), data)
    assert counts(parsed) == {"quarantined": 1}
    assert parsed[0].quarantined.reason == (
        "references undeclared entity &xxe;: only the five XML entities and character references are read "
        "(no DTD is ever loaded) at line 5")


def test_an_ep_document_declaring_an_external_entity_is_quarantined():
    data = shared_path(*EP_GRANT).read_bytes().replace(
        b'"ep-patent-document-v1-5.dtd">', b'"ep-patent-document-v1-5.dtd" [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
    parsed = read_bytes(EpPublicationXml(), data.replace(b"Printing machine", b"&xxe; machine"))
    assert counts(parsed) == {"quarantined": 1}
    assert parsed[0].quarantined.reason.startswith("declares entity 'xxe' in its DTD")
    assert parsed[0].quarantined.reason.endswith("at line 2")


def test_a_v4_grant_referencing_an_undeclared_entity_is_quarantined():
    data = shared_path(*GRANT_V4).read_bytes().replace(b">System and method", b">&xxe; System and method")
    parsed = read_bytes(UsptoGrantXml(), data)
    assert counts(parsed) == {"quarantined": 1}
    assert parsed[0].quarantined.reason.startswith("references undeclared entity &xxe;")


def test_a_grant_declared_iso_8859_1_is_read_as_latin_1():
    data = shared_path(*GRANT_V4).read_bytes()
    latin = data.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"').replace(
        b">System and method", ">Système and method".encode("latin-1"))
    parsed = read_bytes(UsptoGrantXml(), latin)
    assert counts(parsed) == {"stored": 1}
    assert parsed[0].record.publication.title.startswith("Système and method for pre-charging")


def test_a_byte_order_mark_adds_no_phantom_document():
    data = shared_path(*WEEKLY).read_bytes()
    assert counts(read_bytes(UsptoGrantXml(), b"\xef\xbb\xbf" + data)) == {"stored": 3}


def test_a_broken_document_inside_a_weekly_file_is_reported_at_its_line_in_the_file(tmp_path):
    weekly = shared_path(*WEEKLY).read_bytes()
    path = tmp_path / "ipg-with-a-broken-grant.xml"
    path.write_bytes(weekly + b"\n" + shared_path(*MALFORMED).read_bytes())
    # The broken document starts on the line after the weekly file's last; expat stops at its line 880.
    file_line = (weekly.count(b"\n") + 2) + 880 - 1
    warehouse = Warehouse(tmp_path / "wh")
    outcome = ingest([path], warehouse).files[0]
    assert (outcome.read, outcome.stored, outcome.quarantined) == (4, 3, 1)
    row = connect(warehouse).execute("SELECT record_index, line, reason FROM quarantine").fetchone()
    assert row == (3, file_line, f"not well-formed XML: mismatched tag at line {file_line}, column 2")
