"""Country of origin of every publication, under three counting rules.

* ``first_applicant`` (WIPO): the residence of the first-named applicant; one row, share 1.
* ``applicants`` (OECD fractional counting): one row per applicant, share 1/n; whole counting
  is "any row of the publication has the country".
* ``inventors``: one row per inventor, share 1/n.

Who the applicants are: the parties in role ``applicant``; for US publications the *assignees*
(the owners; US applicants before 16 September 2012 were the inventors), and when a US
publication names no assignee, its applicants as printed (for pre-2012 grants these are the
inventors themselves). For other offices, assignees stand in only when no applicant is printed.

When an applicant's own row has no country, the first of these fallbacks that knows one is used,
and named in ``fallback``:

1. ``other_applicant_same_entity``: the entity's country, i.e. the most common country of the
   same applicant's other party rows (after entity resolution), anywhere in the warehouse;
2. ``inventor``: the most common country of the publication's inventors (ties: the earliest
   named).

A publication with no applicant at all gets one row per applicant rule with the inventors'
country (fallback ``inventor``), or no country. A publication with no inventors gets one
``inventors`` row with no country. So every publication has rows under every rule, and the shares
of each publication and rule sum to 1.
"""

from __future__ import annotations

import duckdb

RULES = ("first_applicant", "applicants", "inventors")
FALLBACKS = ("other_applicant_same_entity", "inventor")


def build(con: duckdb.DuckDBPyConnection) -> None:
    """Temporary table ``origin`` from ``party_variant``, ``variant_entity``, ``entity_sector``
    and the ``publications`` view."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE origin AS
        WITH pub_roles AS (
            SELECT p.pub_id,
                   CASE WHEN p.office = 'US' THEN
                        CASE WHEN bool_or(pv.role = 'assignee') THEN 'assignee'
                             WHEN bool_or(pv.role = 'applicant') THEN 'applicant' END
                   ELSE CASE WHEN bool_or(pv.role = 'applicant') THEN 'applicant'
                             WHEN bool_or(pv.role = 'assignee') THEN 'assignee' END
                   END AS applicant_role
            FROM publications p LEFT JOIN party_variant pv USING (pub_id)
            GROUP BY p.pub_id, p.office
        ),
        inventor_countries AS (
            SELECT pub_id, country, count(*) AS n, min(sequence) AS first_sequence
            FROM party_variant WHERE role = 'inventor' AND country IS NOT NULL GROUP BY ALL
        ),
        inventor_country AS (
            SELECT pub_id, first(country ORDER BY n DESC, first_sequence, country) AS inventor_country
            FROM inventor_countries GROUP BY pub_id
        ),
        parties_e AS (
            SELECT pv.*, ve.entity_id, es.sector, es.country AS entity_country
            FROM party_variant pv JOIN variant_entity ve USING (variant_id)
            JOIN entity_sector es USING (entity_id)
        ),
        applicants AS (
            SELECT a.pub_id, a.sequence, a.party_row, a.country, a.entity_id, a.sector, a.entity_country,
                   count(*) OVER (PARTITION BY a.pub_id) AS n,
                   row_number() OVER (PARTITION BY a.pub_id ORDER BY a.sequence, a.party_row) AS position
            FROM parties_e a JOIN pub_roles r ON r.pub_id = a.pub_id AND a.role = r.applicant_role
        ),
        resolved AS (
            SELECT a.*, coalesce(a.country, a.entity_country, ic.inventor_country) AS origin_country,
                   CASE WHEN a.country IS NOT NULL THEN NULL
                        WHEN a.entity_country IS NOT NULL THEN 'other_applicant_same_entity'
                        WHEN ic.inventor_country IS NOT NULL THEN 'inventor' END AS fallback
            FROM applicants a LEFT JOIN inventor_country ic USING (pub_id)
        ),
        no_applicant AS (
            SELECT r.pub_id, ic.inventor_country,
                   CASE WHEN ic.inventor_country IS NOT NULL THEN 'inventor' END AS fallback
            FROM pub_roles r LEFT JOIN inventor_country ic USING (pub_id)
            WHERE r.applicant_role IS NULL
        ),
        inventors AS (
            SELECT pub_id, sequence, party_row, country, entity_id, sector,
                   count(*) OVER (PARTITION BY pub_id) AS n
            FROM parties_e WHERE role = 'inventor'
        )
        SELECT pub_id, 'first_applicant' AS rule, origin_country AS country, sector, entity_id,
               1.0::DOUBLE AS share, fallback, 1 AS position
        FROM resolved WHERE position = 1
        UNION ALL
        SELECT pub_id, 'applicants', origin_country, sector, entity_id, 1.0 / n, fallback, position
        FROM resolved
        UNION ALL
        SELECT pub_id, rule, inventor_country, 'unknown', NULL, 1.0, fallback, 1
        FROM no_applicant, (VALUES ('first_applicant'), ('applicants')) v(rule)
        UNION ALL
        SELECT pub_id, 'inventors', country, sector, entity_id, 1.0 / n, NULL,
               row_number() OVER (PARTITION BY pub_id ORDER BY sequence, party_row)
        FROM inventors
        UNION ALL
        SELECT p.pub_id, 'inventors', NULL, 'unknown', NULL, 1.0, NULL, 1
        FROM publications p ANTI JOIN inventors i USING (pub_id)
        """
    )


def fallback_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """(rule, how the country was found, rows): ``own`` (the row's own country), a fallback
    name, or ``none`` (no country known)."""
    return [
        (rule, how, n)
        for rule, how, n in con.execute(
            """
            SELECT rule, CASE WHEN fallback IS NOT NULL THEN fallback
                              WHEN country IS NULL THEN 'none' ELSE 'own' END AS how, count(*)
            FROM origin GROUP BY ALL
            """
        ).fetchall()
    ]
