"""The exporters file of ``protect national``: one row per exporting enterprise.

Columns (CSV or XLSX, the portfolio file's conventions; ``docs/protect.md``):

    exporter_id, name, markets              required (markets: ISO codes separated by ; or ,)
    sector, size, entity_id                 optional (entity_id: a harmonised entity id when known)

Every problem is reported at once (``InputError``), one line naming the file, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from patentreach.protect.input_tables import Problems, check_columns, read_rows, split_codes
from patentreach.refdata.countries import countries

REQUIRED = ("exporter_id", "name", "markets")
OPTIONAL = ("sector", "size", "entity_id")
NOT_GIVEN = "(not given)"


@dataclass(frozen=True, slots=True)
class Exporter:
    exporter_id: str
    name: str
    markets: tuple[str, ...]
    sector: str = NOT_GIVEN
    size: str = NOT_GIVEN
    entity_id: str | None = None
    origin: str = ""


def read_exporters(path: Path) -> list[Exporter]:
    columns, rows = read_rows(path)
    problems = Problems(path)
    check_columns(problems, columns, REQUIRED, (*REQUIRED, *OPTIONAL))
    problems.raise_if_any()
    found: list[Exporter] = []
    seen: dict[str, int] = {}
    for row in rows:
        if row.values.get("__overflow__"):
            problems.add(row.number, None, f"more cells than header columns: {row.values['__overflow__']!r}")
        ident, name = row.get("exporter_id").strip(), row.get("name").strip()
        if not ident:
            problems.add(row.number, "exporter_id", "an exporter id is required")
        elif ident in seen:
            problems.add(row.number, "exporter_id", f"{ident!r} is already on row {seen[ident]}")
        seen.setdefault(ident, row.number)
        if not name:
            problems.add(row.number, "name", "a name is required (it is matched to the patent applicants)")
        markets = split_codes(row.get("markets"))
        if not markets:
            problems.add(row.number, "markets", "at least one export market is required (ISO codes, e.g. DE; US)")
        for code in markets:
            if code not in countries() or countries()[code].status != "iso_3166":
                problems.add(row.number, "markets", f"{code!r} is not a current ISO 3166 alpha-2 country code")
        found.append(Exporter(ident, name, tuple(markets), row.get("sector").strip() or NOT_GIVEN,
                              row.get("size").strip() or NOT_GIVEN, row.get("entity_id").strip() or None,
                              f"{path.name} row {row.number}"))
    problems.raise_if_any()
    return found
