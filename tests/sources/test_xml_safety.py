"""Hostile XML is refused before any entity can be expanded or fetched."""

from patentreach.sources.base import Unit
from patentreach.sources.uspto_grant import UsptoGrantXml

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
