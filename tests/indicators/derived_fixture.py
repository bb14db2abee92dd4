"""Harmonisation tables for the indicator tests, derived directly and transparently.

The indicator tests must hold whatever the entity resolution decides, so the exact-value tests
use these simple rules instead of ``patentreach.harmonize`` (which a separate test runs end to
end): an entity is an upper-cased printed name; a person is an ``individual``, an organisation
a ``company`` (``university`` when the name says so); the applicants of a US publication are its
assignees when it names any (the owners), else its applicants; elsewhere its applicants, else its
assignees. No fallback: an applicant without a country gives origin null.
"""

from __future__ import annotations

from patentreach.warehouse import Warehouse, connect

_SQL = {
    "party_entity": """
        SELECT pub_id, role, sequence, 'E-' || substr(md5(upper(trim(name))), 1, 12) AS entity_id,
               upper(trim(name)) AS normalised_name,
               CASE WHEN kind = 'person' THEN 'individual'
                    WHEN upper(name) LIKE '%UNIV%' THEN 'university' ELSE 'company' END AS sector,
               'fixture' AS sector_rule, country
        FROM parties
    """,
    "entities": """
        SELECT entity_id, any_value(normalised_name) AS name, any_value(normalised_name) AS normalised_name,
               mode(country) AS country, any_value(sector) AS sector, count(*) AS n_parties,
               count(DISTINCT pub_id) AS n_publications
        FROM pe GROUP BY entity_id
    """,
    "origin_shares": """
        WITH roles AS (
            SELECT p.pub_id,
                   CASE WHEN p.office = 'US' AND bool_or(pe.role = 'assignee') THEN 'assignee'
                        WHEN bool_or(pe.role = 'applicant') THEN 'applicant'
                        WHEN bool_or(pe.role = 'assignee') THEN 'assignee' END AS owner_role
            FROM publications p LEFT JOIN pe USING (pub_id) GROUP BY p.pub_id, p.office
        ), owners AS (
            SELECT pe.*, count(*) OVER (PARTITION BY pe.pub_id) AS n,
                   row_number() OVER (PARTITION BY pe.pub_id ORDER BY pe.sequence) AS position
            FROM pe JOIN roles r ON r.pub_id = pe.pub_id AND pe.role = r.owner_role
        ), inventors AS (
            SELECT *, count(*) OVER (PARTITION BY pub_id) AS n FROM pe WHERE role = 'inventor'
        )
        SELECT pub_id, 'first_applicant' AS rule, country, sector, entity_id, 1.0::DOUBLE AS share,
               NULL::VARCHAR AS fallback FROM owners WHERE position = 1
        UNION ALL
        SELECT pub_id, 'applicants', country, sector, entity_id, 1.0 / n, NULL FROM owners
        UNION ALL
        SELECT pub_id, 'inventors', country, sector, entity_id, 1.0 / n, NULL FROM inventors
    """,
}


def write_derived(warehouse: Warehouse) -> None:
    """Write ``entities``, ``party_entity`` and ``origin_shares`` into ``derived/``."""
    warehouse.derived_dir.mkdir(parents=True, exist_ok=True)
    con = connect(warehouse)
    try:
        con.execute(f"CREATE TEMP TABLE pe AS {_SQL['party_entity']}")
        for name in ("party_entity", "entities", "origin_shares"):
            source = "SELECT * EXCLUDE (country) FROM pe" if name == "party_entity" else _SQL[name]
            target = str(warehouse.derived_dir / f"{name}.parquet").replace("'", "''")
            con.execute(f"COPY ({source}) TO '{target}' (FORMAT parquet)")
    finally:
        con.close()
