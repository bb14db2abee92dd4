"""The real Google Patents sample's rows with the columns a full BigQuery export adds.

The real sample (``publications_sample_10rows.json``, a console export) selected only some
columns; ``patentreach fetch google`` also selects ``country_code``, ``kind_code``,
``application_kind``, ``application_number``, ``pct_number``, ``family_id``, ``grant_date``,
``priority_date``, ``priority_claim``, ``ipc`` and ``cpc``. Those are added here in the shape of
BigQuery's JSON export (INT64 as strings, BOOL as JSON booleans, the struct fields the table has),
with values made up for the test and the bench (no real row with them is at hand): the
applicants' home offices for foreign claims, the publications' own applications listed as claims
as Google does, IPC and CPC symbols of the same subclasses repeated across rows.
Shared by ``test_native_google.py`` and ``bench/readers.py``.
"""

from __future__ import annotations

import copy
import json

from tests.conftest import shared_path

SAMPLE = ("data", "google-patents-bigquery", "publications_sample_10rows.json")

_IPC = (("A61F2/72", True), ("H01L29/786", True), ("G06F3/01", False), ("H04L9/32", True),
        ("C12N15/113", False), ("G01R33/07", True))
_CPC = ("A61F2/72", "Y02E10/50", "H01L29/7869", "G06F3/011", "H04L9/3247", "C12N2310/14",
        "G01R33/0005", "Y10S901/02")
_FOREIGN = {"JP": "JP-2013123456-A", "DE": "DE-102012204835-A"}


def real_records() -> list[dict]:
    return json.loads(shared_path(*SAMPLE).read_text(encoding="utf-8"))


def bigquery_rows(records: list[dict] | None = None, booleans_as_text: bool = False) -> list[dict]:
    """The sample's rows with every column the reader maps, as BigQuery's JSON export writes
    them (``booleans_as_text``: ``"true"``/``"false"``, as the console's "save as JSON")."""
    out = []
    for n, record in enumerate(copy.deepcopy(records if records is not None else real_records())):
        office, number, kind = record["publication_number"].split("-")
        application = f"{office}-{14000000 + 37 * n + int(number) % 1000}-A"
        home = (record.get("assignee_harmonized") or [{}])[0].get("country_code") or office
        claims = [{"publication_number": "", "application_number": application, "npl_text": "", "type": "",
                   "category": "", "filing_date": record["filing_date"]}]
        if home in _FOREIGN:
            claims.insert(0, {"publication_number": "", "application_number": _FOREIGN[home], "npl_text": "",
                              "type": "", "category": "", "filing_date": str(int(record["filing_date"]) - 10000)})
        if n % 3 == 1:
            claims.append({"publication_number": "", "application_number": f"US-{61800000 + n}-P",
                           "npl_text": "", "type": "", "category": "", "filing_date": "20120315"})

        def flag(value: bool) -> bool | str:
            return str(value).lower() if booleans_as_text else value

        ipc = [{"code": code, "inventive": flag(inventive), "first": flag(i == 0), "tree": []}
               for i, (code, inventive) in enumerate(_IPC[n % 6:n % 6 + 2])]
        cpc = [{"code": code, "inventive": flag(i % 2 == 0), "first": flag(i == 0), "tree": [code[:4]]}
               for i, code in enumerate(_CPC[n % 8:n % 8 + 3] + ("Y02E10/50",) * (n % 2))]
        record.update({
            "country_code": office, "kind_code": kind, "application_kind": "A",
            "application_number": application, "pct_number": "", "family_id": str(50000000 + 13 * n),
            "grant_date": record["publication_date"], "priority_date": min(c["filing_date"] for c in claims),
            "priority_claim": claims, "ipc": ipc, "cpc": cpc,
        })
        out.append(record)
    return out


def json_lines(records: list) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
