"""Parties of the warehouse -> name variants, the unit that entity resolution links.

Every party row is normalised (once per distinct printed name, in Python) and keyed by its
*variant*: kind (organisation / person), linkage key and country. A country missing on the row is
taken from an OPS-style ``[CC]`` tag in the name when there is one. Per variant DuckDB gathers what
the Splink model compares: the number of party rows (its weight), the most common city, the
source's own entity ids and, for organisations, the inventors named on its publications.

Only variants that appear as an applicant or assignee are linked by Splink. Variants seen only as
inventors are their own entity: inventor disambiguation is a different problem (PatentsView
solves it with far more evidence) and the statistics here are about applicants.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from patentreach.harmonize.name_normalisation import normalise_name
from patentreach.refdata.countries import normalise_country

MAX_LISTED = 20  # source ids and co-inventor names kept per variant


def register_names(con: duckdb.DuckDBPyConnection) -> int:
    """Normalise every distinct party name into the temporary table ``party_names``."""
    names = [row[0] for row in con.execute("SELECT DISTINCT name FROM parties WHERE name IS NOT NULL").fetchall()]
    out: dict[str, list] = {
        "name": [],
        "normalised_name": [],
        "legal_form": [],
        "legal_sector": [],
        "tag_country": [],
        "match_key": [],
    }
    for name in names:
        result = normalise_name(name)
        out["name"].append(name)
        out["normalised_name"].append(result.normalised)
        out["legal_form"].append(result.legal_form)
        out["legal_sector"].append(result.legal_sector)
        out["tag_country"].append(normalise_country(result.country_tag) if result.country_tag else None)
        out["match_key"].append(result.match_key or result.normalised or name.strip().upper())
    con.register("party_names_arrow", pa.table(out, schema=_NAMES_SCHEMA))
    con.execute("CREATE OR REPLACE TEMP TABLE party_names AS SELECT * FROM party_names_arrow")
    con.unregister("party_names_arrow")
    return len(names)


_NAMES_SCHEMA = pa.schema(
    [
        ("name", pa.string()),
        ("normalised_name", pa.string()),
        ("legal_form", pa.string()),
        ("legal_sector", pa.string()),
        ("tag_country", pa.string()),
        ("match_key", pa.string()),
    ]
)


def build_party_variants(con: duckdb.DuckDBPyConnection) -> None:
    """Temporary table ``party_variant``: one row per party row of the ``parties`` view with its
    normalised name, effective country and variant id."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE party_variant AS
        SELECT row_number() OVER (ORDER BY p.pub_id, p.role, p.sequence, p.name) AS party_row,
               p.pub_id, p.role, p.sequence, p.name, p.kind, p.source_entity_id, p.source_type_code,
               nullif(upper(trim(p.city)), '') AS city,
               coalesce(p.country, n.tag_country) AS country,
               p.country IS NULL AND n.tag_country IS NOT NULL AS country_from_tag,
               coalesce(n.normalised_name, '') AS normalised_name,
               coalesce(n.match_key, '') AS match_key,
               n.legal_form, n.legal_sector,
               substr(md5(concat_ws('|', p.kind, coalesce(n.match_key, ''),
                                    coalesce(p.country, n.tag_country, ''))), 1, 16) AS variant_id
        FROM parties p LEFT JOIN party_names n ON n.name = p.name
        """
    )


def build_variants(con: duckdb.DuckDBPyConnection) -> None:
    """Temporary table ``variants``: one row per variant with its linkage attributes."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE variants AS
        WITH counted AS (
            SELECT variant_id, name, normalised_name, city, count(*) AS n
            FROM party_variant GROUP BY ALL
        ),
        names AS (
            SELECT variant_id,
                   first(name ORDER BY n DESC, name) AS name,
                   first(normalised_name ORDER BY n DESC, normalised_name) AS normalised_name
            FROM (SELECT variant_id, name, normalised_name, sum(n) AS n FROM counted GROUP BY ALL)
            GROUP BY variant_id
        ),
        cities AS (
            SELECT variant_id, first(city ORDER BY n DESC, city) AS city
            FROM (SELECT variant_id, city, sum(n) AS n FROM counted WHERE city IS NOT NULL GROUP BY ALL)
            GROUP BY variant_id
        ),
        base AS (
            SELECT variant_id, any_value(kind) AS kind, any_value(match_key) AS match_key,
                   any_value(country) AS country, count(*) AS weight,
                   bool_or(role <> 'inventor') AS linkable,
                   list_sort(list_distinct(list(source_entity_id) FILTER (WHERE source_entity_id IS NOT NULL)))
                       [1:{MAX_LISTED}] AS source_ids
            FROM party_variant GROUP BY variant_id
        ),
        co AS (
            SELECT o.variant_id, i.match_key AS co_name, count(*) AS n
            FROM party_variant o JOIN party_variant i
              ON i.pub_id = o.pub_id AND i.role = 'inventor' AND o.role <> 'inventor'
            WHERE o.kind = 'organisation' AND i.match_key <> ''
            GROUP BY ALL
        ),
        co_top AS (
            SELECT variant_id, list(co_name ORDER BY n DESC, co_name)[1:{MAX_LISTED}] AS co_names
            FROM co GROUP BY variant_id
        )
        SELECT b.*, n.name, n.normalised_name, ci.city, c.co_names
        FROM base b JOIN names n USING (variant_id) LEFT JOIN cities ci USING (variant_id)
        LEFT JOIN co_top c USING (variant_id)
        """
    )


def linkage_inputs(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """Columns of the linkable variants, in a stable order (for ``linkage_records.build``)."""
    table = con.sql(
        """
        SELECT variant_id, kind, match_key, country, city,
               CASE WHEN len(source_ids) > 0 THEN source_ids END AS source_ids, co_names, weight
        FROM variants WHERE linkable AND match_key <> '' ORDER BY variant_id
        """
    ).to_arrow_table()
    return {name: table.column(name).to_pylist() for name in table.column_names}
