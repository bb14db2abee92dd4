"""Reference tables the mapping joins in SQL: kind codes (dated), regional offices, countries.

They come from the same CSV files and loaders every other reader uses (``refdata``), loaded
once into DuckDB, so that PATSTAT rows are typed and their countries normalised by joins rather
than one Python call per row. Countries are matched once per distinct raw code of the delivery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb


def register_lookups(con: duckdb.DuckDBPyConnection) -> None:
    """Temp tables ``kind_code_rows``, ``regional_offices`` and ``country_codes``."""
    import pyarrow as pa

    from patentreach.refdata.kind_codes import kind_codes
    from patentreach.refdata.offices import offices

    rows = kind_codes()
    kinds = pa.table(
        {
            "office": [r.office for r in rows],
            "kind": [r.kind for r in rows],
            "doc_type": [r.doc_type for r in rows],
            "valid_from": pa.array([r.valid_from for r in rows], pa.date32()),
            "valid_to": pa.array([r.valid_to for r in rows], pa.date32()),
        }
    )
    regional = pa.table({"office": [o.code for o in offices().values() if o.kind == "regional"]})
    for name, table in (("kind_code_rows", kinds), ("regional_offices", regional)):
        con.register(f"{name}_arrow", table)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
        con.unregister(f"{name}_arrow")


def register_countries(con: duckdb.DuckDBPyConnection, raw_codes: list[str]) -> list[str]:
    """Temp table ``country_codes(raw, code)`` for the delivery's distinct ``person_ctry_code``
    values; returns the ones no country row explains (said out loud by the caller)."""
    import pyarrow as pa

    from patentreach.refdata.countries import match_country

    matches = [match_country(raw) for raw in raw_codes]
    table = pa.table(
        {"raw": raw_codes, "code": [m.code for m in matches]},
        schema=pa.schema([("raw", pa.string()), ("code", pa.string())]),
    )
    con.register("country_codes_arrow", table)
    con.execute("CREATE OR REPLACE TEMP TABLE country_codes AS SELECT * FROM country_codes_arrow")
    con.unregister("country_codes_arrow")
    return [raw for raw, m in zip(raw_codes, matches, strict=True) if m.is_unknown]
