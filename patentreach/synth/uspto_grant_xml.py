"""Write a synthetic weekly USPTO grant file (ICE v4.5, concatenated documents).

The demo needs data without ``../shared``; this produces documents in the real format, read by
the real reader, including one sequence-listing document (skipped) and one malformed document
(quarantined) so the demo shows every outcome. Deterministic for a given seed.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape

SUBCLASSES = ["H04L", "H04W", "G06F", "G06N", "H01L", "H01M", "G01N", "A61K", "B60L", "F16K", "C07D", "G06V"]
KINDS = [("B2", 0.62), ("B1", 0.23), ("S1", 0.12), ("E1", 0.03)]
PRIORITY_OFFICE = {"CN": "CN", "KR": "KR", "JP": "JP", "DE": "DE", "FI": "FI", "SE": "SE", "NL": "EP", "TW": "TW"}


def _applicants() -> list[dict[str, str]]:
    with resources.files("patentreach.synth").joinpath("applicants.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _kind(rng: random.Random) -> str:
    roll, acc = rng.random(), 0.0
    for kind, p in KINDS:
        acc += p
        if roll < acc:
            return kind
    return KINDS[0][0]


def _tuesday(rng: random.Random, year: int) -> date:
    day = date(year, 1, 1) + timedelta(days=rng.randrange(0, 364))
    return day + timedelta(days=(1 - day.weekday()) % 7)


def grant_document(rng: random.Random, number: int, year: int, applicants: list[dict[str, str]]) -> str:
    kind = _kind(rng)
    pub = _tuesday(rng, year)
    filed = pub - timedelta(days=rng.randrange(500, 1400))
    owner = rng.choice(applicants)
    prefix = {"S1": "D", "E1": "RE"}.get(kind, "")
    doc_number = f"{prefix}{number:0{8 - len(prefix)}d}"
    country = owner["country"]
    country_xml = f"<country>{country}</country>" if country else ""
    state_xml = f"<state>{owner['state']}</state>" if owner["state"] else ""
    sub = rng.choice(SUBCLASSES)
    group, subgroup = rng.randrange(1, 99), rng.choice(["00", "02", "10", "32", "48"])
    priority = ""
    if country and country in PRIORITY_OFFICE and rng.random() < 0.8:
        p_date = filed - timedelta(days=rng.randrange(30, 360))
        priority = (
            "<priority-claims><priority-claim sequence=\"01\" kind=\"national\">"
            f"<country>{PRIORITY_OFFICE[country]}</country><doc-number>{rng.randrange(10**8, 10**9)}</doc-number>"
            f"<date>{p_date:%Y%m%d}</date></priority-claim></priority-claims>"
        )
    pct = ""
    if country and rng.random() < 0.35:
        pct = (
            "<pct-or-regional-filing-data><document-id><country>WO</country>"
            f"<doc-number>PCT/{country}{filed.year}/{rng.randrange(10000, 99999)}</doc-number>"
            f"<kind>00</kind><date>{filed:%Y%m%d}</date></document-id></pct-or-regional-filing-data>"
        )
    title = escape(f"{rng.choice(['Method', 'Apparatus', 'System', 'Device'])} for "
                   f"{rng.choice(['wireless communication', 'battery management', 'image recognition', 'valve control', 'sample analysis'])}")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE us-patent-grant SYSTEM "us-patent-grant-v45-2014-04-03.dtd" [ ]>
<us-patent-grant lang="EN" dtd-version="v4.5 2014-04-03" file="US{doc_number}-{pub:%Y%m%d}.XML" status="PRODUCTION" id="us-patent-grant" country="US" date-produced="{pub:%Y%m%d}" date-publ="{pub:%Y%m%d}">
<us-bibliographic-data-grant>
<publication-reference><document-id><country>US</country><doc-number>{doc_number}</doc-number><kind>{kind}</kind><date>{pub:%Y%m%d}</date></document-id></publication-reference>
<application-reference appl-type="utility"><document-id><country>US</country><doc-number>{rng.randrange(15000000, 17999999)}</doc-number><date>{filed:%Y%m%d}</date></document-id></application-reference>
{priority}
<classifications-ipcr><classification-ipcr><ipc-version-indicator><date>20060101</date></ipc-version-indicator><classification-level>A</classification-level><section>{sub[0]}</section><class>{sub[1:3]}</class><subclass>{sub[3]}</subclass><main-group>{group}</main-group><subgroup>{subgroup}</subgroup><symbol-position>F</symbol-position><classification-value>I</classification-value></classification-ipcr></classifications-ipcr>
<invention-title id="d2e1">{title}</invention-title>
<us-parties><inventors><inventor sequence="001" designation="us-only"><addressbook><last-name>Inventor{number % 97}</last-name><first-name>Alex</first-name><address><city>{escape(owner['city'])}</city>{state_xml}{country_xml}</address></addressbook></inventor></inventors></us-parties>
<assignees><assignee><addressbook><orgname>{escape(owner['name'])}</orgname><role>{'02' if not country else '03'}</role><address><city>{escape(owner['city'])}</city>{state_xml}{country_xml}</address></addressbook></assignee></assignees>
{pct}
</us-bibliographic-data-grant>
<abstract id="abstract"><p id="p-0001" num="0000">A synthetic abstract.</p></abstract>
<description id="description"><p id="p-0002" num="0001">Synthetic description text.</p></description>
<claims id="claims"><claim id="CLM-00001" num="00001"><claim-text>1. A synthetic claim.</claim-text></claim></claims>
</us-patent-grant>
"""


SEQUENCE_LISTING = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE sequence-cwu SYSTEM "us-sequence-listing-2004-03-09.dtd" [ ]>
<sequence-cwu id="SEQLST-1" file="US00000000-SEQ.XML" country="US" dtd-version="v1_2" date-publ="20200107"><number-of-sequences>1</number-of-sequences></sequence-cwu>
"""

MALFORMED = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE us-patent-grant SYSTEM "us-patent-grant-v45-2014-04-03.dtd" [ ]>
<us-patent-grant lang="EN" dtd-version="v4.5 2014-04-03" country="US" date-publ="20200107">
<us-bibliographic-data-grant><publication-reference><document-id><country>US</country><doc-number>99999999</doc-number><kind>B2</kind><date>20200107</date></document-id></publication-reference></us-bibliographic-data-grant>
<description><mtable><mtr></mtable></description>
</us-patent-grant>
"""


def write_weekly_file(path: Path, grants: int = 400, seed: int = 7, years: tuple[int, ...] = (2019, 2020, 2021, 2022)) -> Path:
    rng = random.Random(seed)
    applicants = _applicants()
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for i in range(grants):
            out.write(grant_document(rng, 10_500_000 + i, years[i % len(years)], applicants))
            if i == 10:
                out.write(SEQUENCE_LISTING)
            if i == 20:
                out.write(MALFORMED)
    return path
