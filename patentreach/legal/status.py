"""Statuses of rights on a date, for a warehouse: ``statuses_as_of``.

DuckDB does the set work: one row per application from ``publications`` (filing date, first
grant publication, last publication, family, publication numbers; the international filing date
of a PCT national phase from its ``pct`` priority claim), joined to its ``legal_events`` (as the
list of that application's events, oldest first). Applications that have events but no
publication rows are included too. The per-application status is then the pure
``fold.status_of`` over that application's own event list, so the SQL never returns one row per
event to Python and the rules live in one tested function.

``applications`` (pairs of office and application number) restricts the work to a portfolio;
``None`` computes every application of the warehouse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import date
from typing import TYPE_CHECKING, Any

from patentreach.legal.fold import Application, RestorationRule, status_of
from patentreach.legal.status_model import RightStatus
from patentreach.model.legal_events import LegalEvent

if TYPE_CHECKING:
    import duckdb

    from patentreach.warehouse.layout import Warehouse

GRANT_TYPES = ("invention_grant", "plant", "reissue", "design", "utility_model")
_EVENT_FIELDS = tuple(f.name for f in fields(LegalEvent))

_APPLICATIONS_SQL = f"""
WITH apps AS (
    SELECT office, application_number,
           min(application_date) AS filing_date,
           min(family_id) AS family_id,
           list(DISTINCT pub_id ORDER BY pub_id) AS publication_numbers,
           max(pub_date) AS last_publication_date,
           min(pub_date) FILTER (WHERE doc_type IN {GRANT_TYPES}) AS grant_date
    FROM publications
    WHERE application_number IS NOT NULL {{wanted_pubs}}
    GROUP BY ALL
),
pct AS (
    SELECT p.office, p.application_number, min(r.date) AS international_filing_date
    FROM publications p JOIN priorities r ON r.pub_id = p.pub_id
    WHERE r.kind = 'pct' AND p.office <> 'WO' AND p.route = 'pct' AND p.application_number IS NOT NULL
    GROUP BY ALL
),
events AS (
    SELECT office, application_number, min(family_id) AS family_id,
           list(struct_pack({', '.join(_EVENT_FIELDS)}) ORDER BY sequence, event_id) AS events
    FROM legal_events
    WHERE application_number IS NOT NULL {{wanted_events}}
    GROUP BY ALL
)
SELECT office, application_number, a.filing_date, p.international_filing_date, a.grant_date,
       a.last_publication_date, coalesce(a.family_id, e.family_id) AS family_id,
       coalesce(a.publication_numbers, []) AS publication_numbers, coalesce(e.events, []) AS events
FROM apps a
FULL JOIN events e USING (office, application_number)
LEFT JOIN pct p USING (office, application_number)
ORDER BY office, application_number
"""


def _wanted(con: duckdb.DuckDBPyConnection, applications: Iterable[tuple[str, str]] | None) -> tuple[str, str]:
    if applications is None:
        return "", ""
    import pyarrow as pa

    pairs = sorted({(office.upper(), number) for office, number in applications})
    table = pa.table({"office": [p[0] for p in pairs], "application_number": [p[1] for p in pairs]})
    con.register("wanted_applications", table)
    clause = "AND (office, application_number) IN (SELECT (office, application_number) FROM wanted_applications)"
    return clause, clause


def application_rows(con: duckdb.DuckDBPyConnection, applications: Iterable[tuple[str, str]] | None = None
                     ) -> list[dict[str, Any]]:
    """One dict per application: its facts and its events (as dicts), from the warehouse views."""
    wanted_pubs, wanted_events = _wanted(con, applications)
    sql = _APPLICATIONS_SQL.format(wanted_pubs=wanted_pubs, wanted_events=wanted_events)
    return con.sql(sql).to_arrow_table().to_pylist()


def statuses_from_rows(rows: Iterable[dict[str, Any]], as_of: date,
                       restoration: RestorationRule | None = None) -> list[RightStatus]:
    out: list[RightStatus] = []
    for row in rows:
        application = Application(
            office=row["office"], application_number=row["application_number"], filing_date=row["filing_date"],
            international_filing_date=row["international_filing_date"], grant_date=row["grant_date"],
            last_publication_date=row["last_publication_date"], family_id=row["family_id"],
            publication_numbers=tuple(row["publication_numbers"]),
        )
        events = [LegalEvent(**event) for event in row["events"]]
        out.extend(status_of(application, events, as_of, restoration))
    return out


def statuses_as_of(
    warehouse: Warehouse,
    as_of: date,
    applications: Iterable[tuple[str, str]] | None = None,
    restoration: RestorationRule | None = None,
) -> list[RightStatus]:
    """The status of every (or every named) application's right(s) on ``as_of``: the office row,
    then for an EP patent one row per state named by its events (``via`` = "EP")."""
    from patentreach.warehouse.views import connect

    con = connect(warehouse)
    try:
        return statuses_from_rows(application_rows(con, applications), as_of, restoration)
    finally:
        con.close()
