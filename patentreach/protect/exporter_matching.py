"""Exporters matched to harmonised patent applicants: by entity id, else by normalised name.

No new matcher: the exporter's name is normalised by the harmonisation step's own
``normalise_name`` and compared with the ``match_key`` (or the normalised name) of the entity
name variants the harmonisation wrote (``entity_variants``), exactly as ``entities search`` ranks
its exact matches. Only exact matches count; an exporter whose key several entities share is
matched to all of them (one enterprise split by harmonisation), and said so.
"""

from __future__ import annotations

from dataclasses import dataclass

from patentreach.harmonize.name_normalisation import normalise_name
from patentreach.protect.exporters import Exporter


@dataclass(frozen=True, slots=True)
class ExporterMatch:
    exporter_id: str
    entity_ids: tuple[str, ...]  # empty: not matched
    how: str  # id | name | "" (unmatched)
    key: str  # the normalised key compared
    note: str = ""


def match_exporters(exporters: list[Exporter], warehouse: object) -> dict[str, ExporterMatch]:
    """Each exporter's match in the warehouse's harmonised entities (``EntityError`` when none)."""
    from patentreach.harmonize import derived_tables
    from patentreach.protect.entity_portfolio import EntityError
    from patentreach.warehouse import connect
    from patentreach.warehouse.freshness import StaleDerivedTables, require_fresh

    if not derived_tables.path(warehouse, "entity_variants").is_file():  # type: ignore[arg-type]
        raise EntityError(f"{warehouse.root}: no entities yet (run `patentreach harmonize` first)")  # type: ignore[attr-defined]
    try:
        require_fresh(warehouse)  # type: ignore[arg-type]
    except StaleDerivedTables as error:
        raise EntityError(str(error)) from None
    keys = {exporter.exporter_id: normalise_name(exporter.name) for exporter in exporters}
    con = connect(warehouse)  # type: ignore[arg-type]
    try:
        known_ids = {row[0] for row in con.execute("SELECT entity_id FROM entities").fetchall()}
        wanted = sorted({name.match_key for name in keys.values() if name.match_key}
                        | {name.normalised for name in keys.values() if name.normalised})
        by_key: dict[str, set[str]] = {}
        for entity_id, match_key, normalised in con.execute(
            "SELECT entity_id, match_key, normalised_name FROM entity_variants "
            "WHERE list_contains(?, match_key) OR list_contains(?, normalised_name)", [wanted, wanted]
        ).fetchall():
            by_key.setdefault(match_key, set()).add(entity_id)
            by_key.setdefault(normalised, set()).add(entity_id)
    finally:
        con.close()
    return {exporter.exporter_id: _match(exporter, keys[exporter.exporter_id], known_ids, by_key)
            for exporter in exporters}


def _match(exporter: Exporter, name: object, known_ids: set[str], by_key: dict[str, set[str]]) -> ExporterMatch:
    key = name.match_key  # type: ignore[attr-defined]
    if exporter.entity_id and exporter.entity_id in known_ids:
        return ExporterMatch(exporter.exporter_id, (exporter.entity_id,), "id", key)
    note = f"entity id {exporter.entity_id!r} is not in the warehouse; " if exporter.entity_id else ""
    found = by_key.get(key, set()) | by_key.get(name.normalised, set())  # type: ignore[attr-defined]
    if not key or not found:
        return ExporterMatch(exporter.exporter_id, (), "", key, note + "no applicant with this normalised name")
    several = f"{len(found)} entities share this name" if len(found) > 1 else ""
    return ExporterMatch(exporter.exporter_id, tuple(sorted(found)), "name", key, note + several)
