"""Reference tables the mapping joins in SQL: kind codes (dated), regional offices, countries.

They come from the same CSV files and loaders every other reader uses (``refdata``), loaded
once into DuckDB, so that PATSTAT rows are typed and their countries normalised by joins rather
than one Python call per row. Countries are matched once per distinct raw code of the delivery.

The rows go in as SQL ``VALUES`` (a few hundred): registering an Arrow table instead makes the
DuckDB client import pandas, which costs more than the whole kind-code join.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from patentreach.sources.patstat.staging import sql_text

if TYPE_CHECKING:
    import duckdb


def _literal(value: str | date | None) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    return sql_text(value)


def _create(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, str], rows: list[tuple]) -> None:
    """Temp table ``name`` with typed ``columns`` holding ``rows``."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({', '.join(f'{c} {t}' for c, t in columns.items())})")
    if rows:
        values = ", ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in rows)
        con.execute(f"INSERT INTO {name} VALUES {values}")


def register_lookups(con: duckdb.DuckDBPyConnection) -> None:
    """Temp tables ``kind_code_rows`` and ``regional_offices``."""
    from patentreach.refdata.kind_codes import kind_codes
    from patentreach.refdata.offices import offices

    _create(
        con,
        "kind_code_rows",
        {"office": "VARCHAR", "kind": "VARCHAR", "doc_type": "VARCHAR", "valid_from": "DATE", "valid_to": "DATE"},
        [(r.office, r.kind, r.doc_type, r.valid_from, r.valid_to) for r in kind_codes()],
    )
    _create(
        con, "regional_offices", {"office": "VARCHAR"}, [(o.code,) for o in offices().values() if o.kind == "regional"]
    )


def register_countries(con: duckdb.DuckDBPyConnection, raw_codes: list[str]) -> list[str]:
    """Temp table ``country_codes(raw, code)`` for the delivery's distinct ``person_ctry_code``
    values; returns the ones no country row explains (said out loud by the caller)."""
    from patentreach.refdata.countries import match_country

    matches = [match_country(raw) for raw in raw_codes]
    _create(con, "country_codes", {"raw": "VARCHAR", "code": "VARCHAR"},
            [(raw, m.code) for raw, m in zip(raw_codes, matches, strict=True)])
    return [raw for raw, m in zip(raw_codes, matches, strict=True) if m.is_unknown]
