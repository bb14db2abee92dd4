"""Exact indicator values on the real samples, against counts made by hand from the files.

US grants by origin (the first assignee's country; the first applicant's when a grant names no
assignee) and grant year, in the seven weekly USPTO samples (25 grants each, one week per year):
counted from the XML with lxml by ``hand_counts`` below and frozen in ``US_GRANTS``. The
provenance table of ``../shared/data`` agrees (e.g. JP 10 in 2005, where all ten have a JP first
assignee).
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree

from patentreach.indicators import OutboundSpec, outbound, records
from patentreach.indicators.results import significant
from tests.conftest import shared_path

# (origin, grant year) -> US invention grants (kinds B1, B2) in ipg-weekly-samples.
US_GRANTS = {
    ("AT", 2007): 1, ("BE", 2010): 1, ("CA", 2007): 1, ("CA", 2010): 1, ("CH", 2010): 1,
    ("DE", 2005): 3, ("DE", 2006): 3, ("DE", 2007): 1, ("DE", 2008): 1, ("DE", 2009): 2, ("DE", 2010): 2,
    ("DE", 2012): 1, ("ES", 2008): 1, ("FI", 2006): 1, ("FI", 2008): 1, ("FR", 2010): 2, ("GB", 2006): 1,
    ("GB", 2008): 1, ("HK", 2010): 1, ("IL", 2008): 1, ("IT", 2005): 1,
    ("JP", 2005): 10, ("JP", 2006): 2, ("JP", 2007): 7, ("JP", 2008): 7, ("JP", 2009): 8, ("JP", 2010): 2,
    ("JP", 2012): 6, ("KR", 2009): 2, ("KR", 2010): 1, ("NL", 2005): 1, ("NL", 2009): 1, ("NL", 2012): 2,
    ("NO", 2007): 1, ("NZ", 2005): 1, ("RU", 2008): 1, ("SE", 2005): 2, ("SE", 2006): 1, ("SE", 2007): 1,
    ("TW", 2005): 1, ("TW", 2007): 1, ("TW", 2008): 1, ("TW", 2009): 1,
    ("US", 2005): 6, ("US", 2006): 14, ("US", 2007): 8, ("US", 2008): 4, ("US", 2009): 8, ("US", 2010): 11,
    ("US", 2012): 13,
}
YEARS = (2005, 2012)


def hand_counts() -> Counter:
    """Count the grants straight from the XML: an independent check of ``US_GRANTS``."""
    counts: Counter = Counter()
    folder = shared_path("data", "uspto-grant-xml", "ipg-weekly-samples")
    for path in sorted(folder.glob("*.xml")):
        for chunk in re.split(rb"(?=<\?xml )", path.read_bytes()):
            if b"<us-patent-grant" not in chunk:
                continue
            chunk = re.sub(rb"<!DOCTYPE[^>]*>", b"", chunk).strip()
            doc = etree.fromstring(chunk, etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True))
            biblio = doc.find("us-bibliographic-data-grant")
            ref = biblio.find("publication-reference/document-id")
            if ref.findtext("kind") not in ("B1", "B2"):
                continue
            owners = biblio.findall(".//assignees/assignee") or biblio.findall(".//applicants/applicant")
            counts[(owners[0].findtext(".//address/country"), int(ref.findtext("date")[:4]))] += 1
    return counts


def test_frozen_counts_are_the_files_counts() -> None:
    assert hand_counts() == Counter(US_GRANTS)


def test_us_grants_by_origin_and_year(sample_engine) -> None:
    spec = OutboundSpec(offices=("US",), scope="all", years=YEARS, by=("origin", "year"))
    result = outbound(sample_engine, spec)
    got = {(r["origin"], r["year"]): r["count"] for r in result.rows}
    assert got == US_GRANTS


def test_abroad_excludes_the_office_country(sample_engine) -> None:
    spec = OutboundSpec(offices=("US",), years=YEARS, by=("origin", "year"))
    got = {(r["origin"], r["year"]): r["count"] for r in outbound(sample_engine, spec).rows}
    assert got == {k: v for k, v in US_GRANTS.items() if k[0] != "US"}


def test_one_origin_by_office_and_year(sample_engine) -> None:
    """JP-origin grants abroad: the US weeks, plus one EP grant among the EP samples."""
    spec = OutboundSpec(origin=("JP",), years=YEARS)
    got = {(r["office"], r["year"]): r["count"] for r in outbound(sample_engine, spec).rows}
    assert got == {("US", y): n for (o, y), n in US_GRANTS.items() if o == "JP"} | {("EP", 2006): 1}


def test_year_on_year_is_the_arithmetic(sample_engine) -> None:
    """JP at the USPTO: 10, 2, 7, 7, 8, 2, (none in 2011), 6."""
    spec = OutboundSpec(origin=("JP",), offices=("US",), years=(2006, 2012), by=("year",))
    rows = {r["year"]: r for r in outbound(sample_engine, spec).rows}
    assert [rows[y]["count"] for y in sorted(rows)] == [2, 7, 7, 8, 2, 6]
    assert rows[2006]["yoy_abs"] == 2 - 10 and rows[2006]["yoy_pct"] == -80.0  # 2005 fetched for the change
    assert rows[2007]["yoy_abs"] == 5 and rows[2007]["yoy_pct"] == 250.0
    assert rows[2008]["yoy_abs"] == 0 and rows[2008]["yoy_pct"] == 0.0
    assert rows[2009]["yoy_pct"] == 14.28571429  # 100 / 7 to ten significant digits
    assert rows[2012]["yoy_abs"] == 6 and rows[2012]["yoy_pct"] is None  # 2011: no grant, so from 0
    assert all(r["share"] == 1.0 for r in rows.values())


def test_share_of_total(sample_engine) -> None:
    spec = OutboundSpec(offices=("US",), scope="all", years=(2005, 2005), by=("origin", "year"))
    rows = {r["origin"]: r for r in outbound(sample_engine, spec).rows}
    assert rows["JP"]["share"] == significant(10 / sum(v for (o, y), v in US_GRANTS.items() if y == 2005), 10)
    assert round(sum(r["share"] for r in rows.values()), 9) == 1.0


def test_drill_down_lists_the_cell(sample_engine) -> None:
    spec = OutboundSpec(origin=("JP",), years=YEARS)
    result = records(sample_engine, spec, {"office": "US", "year": 2005})
    assert len({r["pub_id"] for r in result.rows}) == 10
    assert all(r["pub_id"].startswith("US-") and r["origin"] == "JP" and r["year"] == 2005 for r in result.rows)
    assert sum(r["weight"] for r in result.rows) == 10
    assert result.definition["cell"] == {"office": "US", "year": 2005}
