"""How complete the warehouse is for the figures: per source format and office, how many
publications have no origin country, no sector, or a document type of ``other``.

A figure by origin silently leaves out every publication whose applicants have no country (on
the real samples 84%: the Lens CSV carries none), and a figure by sector those without a sector.
``patentreach info`` shows this table, and ``harmonize`` can show it after a run
(``coverage(con)`` on its own connection), so that a thin figure is never a surprise.

Origin and sector are those of the first-applicant rule in ``origin_shares`` (harmonisation);
before harmonisation the origin is whether any party has a country, and the sector is unknown.
"""

from __future__ import annotations

from typing import Any

from patentreach.warehouse.layout import Warehouse

COLUMNS = ["source", "office", "pubs", "no_origin", "no_origin_pct", "no_sector", "no_sector_pct", "other",
           "other_pct"]

_HARMONISED = """
    SELECT pub_id, bool_or(country IS NOT NULL) AS has_origin,
           bool_or(sector IS NOT NULL AND sector <> 'unknown') AS has_sector
    FROM origin_shares WHERE rule = 'first_applicant' GROUP BY pub_id
"""
_UNHARMONISED = """
    SELECT pub_id, bool_or(country IS NOT NULL) AS has_origin, CAST(NULL AS BOOLEAN) AS has_sector
    FROM parties GROUP BY pub_id
"""


def _has_view(con: Any, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [name]).fetchone()[0])


def coverage(con: Any) -> tuple[list[str], list[tuple]]:
    """(columns, rows): one row per source format and office, then one ``(all)`` row.
    ``con``: a DuckDB connection with the warehouse views (``warehouse.views.connect``)."""
    origins = _HARMONISED if _has_view(con, "origin_shares") else _UNHARMONISED
    sql = f"""
        WITH o AS ({origins}),
        p AS (
            SELECT p.source_format, p.office, NOT coalesce(o.has_origin, false) AS no_origin,
                   CASE WHEN o.has_sector IS NULL AND NOT {_has_view(con, "origin_shares")} THEN NULL
                        ELSE NOT coalesce(o.has_sector, false) END AS no_sector,
                   p.doc_type = 'other' AS other
            FROM publications p LEFT JOIN o USING (pub_id)
        ),
        counted AS (
            SELECT coalesce(source_format, '(all)') AS source_format, coalesce(office, '(all)') AS office,
                   count(*) AS publications, count(*) FILTER (WHERE no_origin) AS no_origin,
                   CASE WHEN count(no_sector) = 0 THEN NULL ELSE count(*) FILTER (WHERE no_sector) END AS no_sector,
                   count(*) FILTER (WHERE other) AS typed_other,
                   grouping(source_format) AS total
            FROM p GROUP BY GROUPING SETS ((source_format, office), ())
        )
        SELECT source_format AS source, office, publications AS pubs,
               no_origin, round(100.0 * no_origin / publications, 1) AS no_origin_pct,
               no_sector, round(100.0 * no_sector / publications, 1) AS no_sector_pct,
               typed_other AS other, round(100.0 * typed_other / publications, 1) AS other_pct
        FROM counted ORDER BY total, source_format, office
    """
    return COLUMNS, con.execute(sql).fetchall()


def coverage_of(warehouse: Warehouse) -> tuple[list[str], list[tuple]]:
    """``coverage`` over a warehouse's views."""
    from patentreach.warehouse.views import connect

    con = connect(warehouse)
    try:
        return coverage(con)
    finally:
        con.close()
