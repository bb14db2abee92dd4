"""Documents typed ``other``, per office and reason: what ``info`` says out loud.

A document typed ``other`` is in no count of grants or applications. Most are meant to be
(republications, corrections, search reports), but some are there only because the kind-code
table has no row for the office's kind, or none valid on the publication date: a grant at an
office the table cannot source is silently missing from a figure unless someone says so. This
section tells the two apart, office by office, e.g. ``HK: 12 documents typed other (kind code
unknown: B)``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from patentreach.refdata.kind_codes import kind_code, kind_codes

COLUMNS = ["office", "reason", "documents", "kinds", "said"]

UNKNOWN = "kind code unknown"
OUT_OF_DATES = "kind code outside its dated meanings"
BY_TABLE = "republication, correction or non-patent (kind-code table)"
BY_SOURCE = "the source's own type says so"

_SQL = """
    SELECT office, kind, doc_type_rule, count(*) AS documents, min(pub_date) AS first, max(pub_date) AS last
    FROM publications WHERE doc_type = 'other' GROUP BY ALL
"""


def _reason(office: str, kind: str, rule: str, first: date | None, last: date | None, known: set) -> str:
    if rule != "kind_code":
        return f"{BY_SOURCE} ({rule})"
    if (office, kind) not in known:
        return UNKNOWN
    days = [d for d in (first, last) if d is not None]
    if any(kind_code(office, kind, d) is None for d in days):
        return OUT_OF_DATES
    return BY_TABLE


def typed_other(con: Any) -> tuple[list[str], list[tuple]]:
    """(columns, rows): one row per office and reason, largest first within an office.
    ``con``: a DuckDB connection with the warehouse views (``warehouse.views.connect``).

    The dated check looks at the first and last publication date of each (office, kind): a kind
    whose meaning ends and starts again in between is reported by those two days only."""
    known = {(code.office, code.kind) for code in kind_codes()}
    documents: dict[tuple[str, str], int] = defaultdict(int)
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    for office, kind, rule, count, first, last in con.execute(_SQL).fetchall():
        key = (office, _reason(office, kind, rule or "kind_code", first, last, known))
        documents[key] += count
        kinds[key].add(kind)
    rows = []
    for (office, reason), count in sorted(documents.items(), key=lambda item: (item[0][0], -item[1])):
        listed = ", ".join(sorted(kinds[(office, reason)]))
        said = f"{office}: {count:,} document{'s' if count != 1 else ''} typed other ({reason}: {listed})"
        rows.append((office, reason, count, listed, said))
    return COLUMNS, rows
