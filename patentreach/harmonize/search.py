"""``entities search NAME``: find an applicant and show its name variants and publications.

The query is normalised like a party name, then matched against every name variant's linkage
key and normalised name: exact matches first, then variants containing every word of the query,
then close spellings (Jaro-Winkler >= 0.9). Entities are ranked by that, then by size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from patentreach.harmonize import derived_tables
from patentreach.harmonize.name_normalisation import normalise_name
from patentreach.warehouse import Warehouse, connect
from patentreach.warehouse.freshness import StaleDerivedTables, require_fresh

ENTITY_COLUMNS = ["entity_id", "name", "country", "sector", "n_parties", "n_publications", "match"]
VARIANT_COLUMNS = ["entity_id", "name", "normalised_name", "kind", "country", "n_parties"]
PUBLICATION_COLUMNS = ["entity_id", "pub_id", "role", "pub_date", "doc_type", "title"]


class NotHarmonized(RuntimeError):
    """The warehouse has no derived entity tables yet."""


@dataclass(slots=True)
class EntitySearch:
    query: str
    normalised: str
    entities: list[tuple] = field(default_factory=list)  # ENTITY_COLUMNS
    variants: list[tuple] = field(default_factory=list)  # VARIANT_COLUMNS, for the shown entities
    publications: list[tuple] = field(default_factory=list)  # PUBLICATION_COLUMNS

    def as_json(self) -> dict[str, object]:
        """The ``--format json`` document (and the web API's): the query, its normalised form and
        the three listings as records, dates as ISO text."""
        return {
            "query": self.query,
            "normalised": self.normalised,
            "entities": records(ENTITY_COLUMNS, self.entities),
            "variants": records(VARIANT_COLUMNS, self.variants),
            "publications": records(PUBLICATION_COLUMNS, self.publications),
        }


@dataclass(slots=True)
class EntityDetails:
    """One entity by id: its row, name variants and publications (``entity``)."""

    entity: tuple  # ENTITY_COLUMNS without ``match``
    variants: list[tuple] = field(default_factory=list)
    publications: list[tuple] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "entity": records(ENTITY_COLUMNS[:-1], [self.entity])[0],
            "variants": records(VARIANT_COLUMNS, self.variants),
            "publications": records(PUBLICATION_COLUMNS, self.publications),
        }


def records(columns: list[str], rows: list[tuple]) -> list[dict[str, object]]:
    """Rows as ``{column: value}`` records; dates as ISO text (JSON has no dates)."""
    return [{c: v.isoformat() if isinstance(v, date | datetime) else v for c, v in zip(columns, row, strict=True)}
            for row in rows]


def _require_entities(warehouse: Warehouse) -> None:
    """``NotHarmonized`` (one line: what to run) unless fresh entity tables exist."""
    if not derived_tables.path(warehouse, "entity_variants").is_file():
        raise NotHarmonized(f"{warehouse.root}: no entities yet (run `patentreach harmonize` first)")
    try:
        require_fresh(warehouse)
    except StaleDerivedTables as exc:
        raise NotHarmonized(str(exc)) from None


def entity(warehouse: Warehouse, entity_id: str, max_publications: int = 50) -> EntityDetails | None:
    """The entity ``entity_id`` with its name variants and (at most ``max_publications``, newest
    first) publications; None when no entity has that id. The web's entity page reads this."""
    _require_entities(warehouse)
    con = connect(warehouse)
    try:
        found = con.execute(
            f"SELECT {', '.join(ENTITY_COLUMNS[:-1])} FROM entities WHERE entity_id = ?", [entity_id]
        ).fetchone()
        if found is None:
            return None
        return EntityDetails(found, _variants(con, [entity_id]), _publications(con, [entity_id], max_publications))
    finally:
        con.close()


def search(
    warehouse: Warehouse, name: str, limit: int = 10, show: int = 1, max_publications: int = 50
) -> EntitySearch:
    """Entities whose names match ``name`` (at most ``limit``), with the variants and publications
    of the first ``show`` of them."""
    _require_entities(warehouse)
    query = normalise_name(name)
    words = query.match_key.split()
    result = EntitySearch(name, query.normalised)
    con = connect(warehouse)
    try:
        result.entities = _entities(con, query.match_key, query.normalised, words, limit)
        shown = [row[0] for row in result.entities[:show]]
        if shown:
            result.variants = _variants(con, shown)
            result.publications = _publications(con, shown, max_publications)
    finally:
        con.close()
    return result


def _variants(con: duckdb.DuckDBPyConnection, shown: list[str]) -> list[tuple]:
    """VARIANT_COLUMNS of the entities ``shown``, in their order, most used spelling first."""
    return con.execute(
        f"SELECT {', '.join(VARIANT_COLUMNS)} FROM entity_variants WHERE list_contains(?, entity_id) "
        "ORDER BY list_position(?, entity_id), n_parties DESC, name",
        [shown, shown],
    ).fetchall()


def _publications(con: duckdb.DuckDBPyConnection, shown: list[str], limit: int) -> list[tuple]:
    """PUBLICATION_COLUMNS of the entities ``shown`` (newest first, at most ``limit``)."""
    return con.execute(
        "SELECT pe.entity_id, pe.pub_id, string_agg(DISTINCT pe.role, ',' ORDER BY pe.role), "
        "  any_value(p.pub_date), any_value(p.doc_type), any_value(p.title) "
        "FROM party_entity pe JOIN publications p USING (pub_id) "
        "WHERE list_contains(?, pe.entity_id) GROUP BY pe.entity_id, pe.pub_id "
        "ORDER BY list_position(?, pe.entity_id), any_value(p.pub_date) DESC, pe.pub_id LIMIT ?",
        [shown, shown, limit],
    ).fetchall()


def _entities(con: duckdb.DuckDBPyConnection, key: str, normalised: str, words: list[str], limit: int) -> list[tuple]:
    return con.execute(
        """
        WITH scored AS (
            SELECT entity_id,
                   max(CASE WHEN match_key = $key OR normalised_name = $normalised THEN 3
                            WHEN len($words) > 0 AND list_has_all(string_split(match_key, ' '), $words) THEN 2
                            WHEN jaro_winkler_similarity(match_key, $key) >= 0.9 THEN 1
                            ELSE 0 END) AS score
            FROM entity_variants GROUP BY entity_id
        )
        SELECT e.entity_id, e.name, e.country, e.sector, e.n_parties, e.n_publications,
               CASE s.score WHEN 3 THEN 'exact' WHEN 2 THEN 'all words' ELSE 'similar' END
        FROM scored s JOIN entities e USING (entity_id)
        WHERE s.score > 0
        ORDER BY s.score DESC, e.n_parties DESC, e.entity_id
        LIMIT $limit
        """,
        {"key": key, "normalised": normalised, "words": words, "limit": limit},
    ).fetchall()
