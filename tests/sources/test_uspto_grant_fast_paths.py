"""The shortcuts of the USPTO grant reader (issue 20) answer exactly as the general code does.

* one regular-expression search stands for the loop over every ``&name;`` when no character
  table is given: same names, same first offset, same quarantine line;
* an applicant-inventor's inventor row is a copy of its applicant row in another role: it equals
  what mapping the address book again as an inventor gives.

The step-by-step path lookups of ``ice_v4.each``/``first`` are checked against ElementPath, and
the records against those of lxml elements on every real sample, in test_xml_one_pass.py.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest

from patentreach.model.records import Role
from patentreach.sources.base import Unit
from patentreach.sources.uspto_common import ice_v4
from patentreach.sources.uspto_common.document import DocumentError, check_references, envelope
from patentreach.sources.uspto_grant import UsptoGrantXml
from patentreach.sources.xml_safety import refused_references

BODIES = [
    b"<a>plain text, no reference</a>",
    b"<a>&amp; &lt; &gt; &quot; &apos; &#x2014; &#169;</a>",
    b"<a>&amp;&ouml;&amp;&xxe;&ouml;</a>",
    b"<a>&ampx; is not &amp;</a>",
    b"<a>&amp.x; and &lt-y; and &gt:z;</a>",
    b"<a>& alone, &; empty, &#; and &a&b; run together</a>",
    b"<a>&_under; &colon:name; &x1.2-3;</a>",
    b"<a>&amp</a>",
]


def _general(body: bytes, pos: int = 0) -> tuple[list[str], int]:
    """The general loop, forced by a character table that accepts no name."""
    return refused_references(body, lambda name: False, pos=pos)


@pytest.mark.parametrize("body", BODIES)
def test_the_one_search_shortcut_finds_what_the_loop_over_references_finds(body):
    assert refused_references(body) == _general(body)


def test_refused_names_are_listed_once_in_order_with_the_first_offset():
    body = b"<a>&amp;&ouml;&amp;&xxe;&ouml;</a>"
    assert refused_references(body) == (["ouml", "xxe"], 8)


def test_references_before_pos_are_not_read():
    body = b"<!-- &early; --><a>&late;</a>"
    assert refused_references(body, pos=16) == (["late"], 19)
    assert refused_references(body, pos=26) == ([], -1)


GRANT = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE us-patent-grant SYSTEM "us-patent-grant-v45-2014-04-03.dtd" [ ]>
<us-patent-grant lang="EN" dtd-version="v4.5 2014-04-03">
<us-bibliographic-data-grant>
<invention-title>Tea &amp; &#x2014; &xxe; &yyy;</invention-title>
</us-bibliographic-data-grant>
</us-patent-grant>
"""


def test_a_refused_reference_is_reported_on_its_document_line():
    env = envelope(GRANT)
    with pytest.raises(DocumentError, match=r"undeclared entities &xxe;, &yyy;") as caught:
        check_references(GRANT, env)
    assert caught.value.line == 5


def test_the_grant_reader_quarantines_it_with_that_line_in_the_file():
    parsed = UsptoGrantXml().parse(Unit(index=3, line=101, data=GRANT), "f.xml")
    assert parsed.quarantined is not None
    assert parsed.quarantined.index == 3
    assert parsed.quarantined.line == 105


V40_BIBLIO = b"""<us-bibliographic-data-grant><parties><applicants>
<applicant sequence="001" app-type="applicant-inventor" designation="us-only">
<addressbook><last-name>Chen</last-name><first-name>Shane</first-name>
<address><street>1821 NW. 8th Ave.</street><city>Camas</city><state>WA</state><postcode>98607</postcode>
<country>US</country></address></addressbook>
<nationality><country>omitted</country></nationality><residence><country>US</country></residence>
</applicant>
<applicant sequence="002" app-type="applicant"><addressbook><orgname>Acme  Corp.</orgname>
<address><city>Osaka</city></address></addressbook><residence><country>JP</country></residence></applicant>
</applicants></parties></us-bibliographic-data-grant>"""


def test_an_applicant_inventors_inventor_row_is_the_address_book_mapped_as_an_inventor():
    biblio = ElementTree.fromstring(V40_BIBLIO)
    rows = ice_v4.parties(biblio, "US-1-B2")
    applicant = biblio.find("parties/applicants/applicant")
    assert [(p.role, p.sequence, p.name) for p in rows] == [
        (Role.APPLICANT, 1, "Shane Chen"), (Role.INVENTOR, 1, "Shane Chen"), (Role.APPLICANT, 2, "Acme Corp."),
    ]
    assert rows[1] == ice_v4.party_from_addressbook(applicant, "US-1-B2", Role.INVENTOR, 1)
    assert (rows[0].city, rows[0].state, rows[0].country) == ("Camas", "WA", "US")
    assert rows[0].address == "1821 NW. 8th Ave. 98607"
    assert (rows[2].country_raw, rows[2].country, rows[2].address) == ("JP", "JP", None)
