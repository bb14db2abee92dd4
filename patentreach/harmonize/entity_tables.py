"""From variants, clusters and ids to the ``entities``, ``party_entity`` and ``entity_variants``
tables (column meanings in docs/harmonize.md).

* An entity's ``name`` is the name printed most often on its party rows (ties: alphabetical),
  ``normalised_name`` likewise, ``country`` the most common known country of its rows.
* Its sector is decided once from the evidence of all its rows (``sector.decide``) and carried by
  each of its ``party_entity`` rows together with the rule that decided it.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from patentreach.harmonize import sector as sectors


def register_variant_entities(con: duckdb.DuckDBPyConnection, variant_entity: dict[str, str]) -> None:
    table = pa.table(
        {"variant_id": list(variant_entity), "entity_id": list(variant_entity.values())},
        schema=pa.schema([("variant_id", pa.string()), ("entity_id", pa.string())]),
    )
    con.register("variant_entity_arrow", table)
    con.execute("CREATE OR REPLACE TEMP TABLE variant_entity AS SELECT * FROM variant_entity_arrow")
    con.unregister("variant_entity_arrow")


def decide_sectors(con: duckdb.DuckDBPyConnection) -> None:
    """Temporary table ``entity_sector`` (entity_id, sector, sector_rule, country, name,
    normalised_name) from the evidence of each entity's party rows."""
    groups = sectors.type_code_groups()
    con.register(
        "type_groups_arrow", pa.table({"code": list(groups), "type_group": list(groups.values())})
    )
    rows = con.execute(
        """
        WITH also_inventor AS (
            SELECT DISTINCT a.party_row FROM party_variant a JOIN party_variant i
              ON i.pub_id = a.pub_id AND i.role = 'inventor' AND a.role <> 'inventor'
             AND i.match_key = a.match_key AND a.match_key <> ''
        ),
        p AS (
            SELECT pv.*, ve.entity_id, tg.type_group,
                   ai.party_row IS NOT NULL AS applicant_is_inventor
            FROM party_variant pv JOIN variant_entity ve USING (variant_id)
            LEFT JOIN also_inventor ai USING (party_row)
            LEFT JOIN type_groups_arrow tg ON tg.code = regexp_replace(trim(pv.source_type_code), '\\.0$', '')
        ),
        named AS (
            SELECT entity_id, name, first(normalised_name) AS normalised_name, count(*) AS n FROM p GROUP BY ALL
        ),
        countries AS (
            SELECT entity_id, country, count(*) AS n FROM p WHERE country IS NOT NULL GROUP BY ALL
        ),
        typed AS (
            SELECT entity_id, type_group, count(*) AS n FROM p WHERE type_group IS NOT NULL GROUP BY ALL
        ),
        legal AS (
            SELECT entity_id, legal_sector, count(*) AS n FROM p WHERE legal_sector IS NOT NULL GROUP BY ALL
        ),
        kinds AS (
            SELECT entity_id, kind, count(*) AS n FROM p GROUP BY ALL
        )
        SELECT e.entity_id, nm.name, nm.normalised_name, c.country, t.type_group, l.legal_sector, k.kind,
               e.only_inventor, e.applicant_is_inventor
        FROM (
            SELECT entity_id, bool_and(role = 'inventor') AS only_inventor,
                   coalesce(avg(CASE WHEN role <> 'inventor' THEN applicant_is_inventor::INT END), 0) >= 0.5
                       AS applicant_is_inventor
            FROM p GROUP BY entity_id
        ) e
        LEFT JOIN (SELECT entity_id, first(name ORDER BY n DESC, name) AS name,
                          first(normalised_name ORDER BY n DESC, normalised_name) AS normalised_name
                   FROM named GROUP BY entity_id) nm USING (entity_id)
        LEFT JOIN (SELECT entity_id, first(country ORDER BY n DESC, country) AS country
                   FROM countries GROUP BY entity_id) c USING (entity_id)
        LEFT JOIN (SELECT entity_id, first(type_group ORDER BY n DESC, type_group) AS type_group
                   FROM typed GROUP BY entity_id) t USING (entity_id)
        LEFT JOIN (SELECT entity_id, first(legal_sector ORDER BY n DESC, legal_sector) AS legal_sector
                   FROM legal GROUP BY entity_id) l USING (entity_id)
        LEFT JOIN (SELECT entity_id, first(kind ORDER BY n DESC, kind) AS kind
                   FROM kinds GROUP BY entity_id) k USING (entity_id)
        ORDER BY e.entity_id
        """
    ).fetchall()
    con.unregister("type_groups_arrow")
    out: dict[str, list] = {k: [] for k in ("entity_id", "sector", "sector_rule", "country", "name", "normalised_name")}
    for entity_id, name, normalised, country, type_group, legal_sector, kind, only_inventor, app_inv in rows:
        decision = sectors.decide(
            sectors.Evidence(
                normalised_name=normalised or "",
                kind=kind,
                legal_sector=legal_sector,
                type_group=type_group,
                only_inventor=bool(only_inventor),
                applicant_is_inventor=bool(app_inv),
            )
        )
        for key, value in (
            ("entity_id", entity_id),
            ("sector", decision.sector),
            ("sector_rule", decision.rule),
            ("country", country),
            ("name", name),
            ("normalised_name", normalised),
        ):
            out[key].append(value)
    con.register("entity_sector_arrow", pa.table(out, schema=_SECTOR_SCHEMA))
    con.execute("CREATE OR REPLACE TEMP TABLE entity_sector AS SELECT * FROM entity_sector_arrow")
    con.unregister("entity_sector_arrow")


_SECTOR_SCHEMA = pa.schema(
    [(name, pa.string()) for name in ("entity_id", "sector", "sector_rule", "country", "name", "normalised_name")]
)


def entities(con: duckdb.DuckDBPyConnection) -> pa.Table:
    return con.sql(
        """
        SELECT es.entity_id, es.name, es.normalised_name, es.country, es.sector,
               count(*)::BIGINT AS n_parties, count(DISTINCT pv.pub_id)::BIGINT AS n_publications
        FROM entity_sector es JOIN variant_entity ve USING (entity_id) JOIN party_variant pv USING (variant_id)
        GROUP BY ALL ORDER BY es.entity_id
        """
    ).to_arrow_table()


def party_entity(con: duckdb.DuckDBPyConnection) -> pa.Table:
    return con.sql(
        """
        SELECT pv.pub_id, pv.role, pv.sequence, ve.entity_id, pv.normalised_name, es.sector, es.sector_rule
        FROM party_variant pv JOIN variant_entity ve USING (variant_id) JOIN entity_sector es USING (entity_id)
        ORDER BY pv.pub_id, pv.role, pv.sequence, pv.party_row
        """
    ).to_arrow_table()


def entity_variants(con: duckdb.DuckDBPyConnection) -> pa.Table:
    return con.sql(
        """
        SELECT v.variant_id, ve.entity_id, v.kind, v.match_key, v.normalised_name, v.country, v.name,
               v.weight::BIGINT AS n_parties
        FROM variants v JOIN variant_entity ve USING (variant_id)
        ORDER BY ve.entity_id, v.weight DESC, v.variant_id
        """
    ).to_arrow_table()
