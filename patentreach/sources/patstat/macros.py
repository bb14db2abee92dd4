"""SQL macros for PATSTAT's value conventions, shared by every mapping query.

PATSTAT has no NULLs: a missing date is ``9999-12-31``, a missing year ``9999``, missing text ``''``
and a missing number ``0``; these macros turn them into NULL, the model's "not given". Flags are
``Y``/``N`` since 2018 Autumn and ``1``/``0`` before; ``pr_flag`` reads both.

``pr_number`` is ``model.records.strip_leading_zeros`` in SQL. DuckDB's RE2 has no lookahead, so
``^([A-Z]*)0+(?=\\d)`` becomes ``^([A-Z]*)0+([0-9])`` with the digit put back: the greedy ``0+``
gives back its last zero when no other digit follows, exactly as the lookahead does.
``pr_symbol`` is ``model.ipc.normalise_ipc`` for the forms PATSTAT prints (fixed layout
``A23L  33/15``, compact ``C07C2603/66``, a bare subclass). Tests check both against the Python.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

_SUBCLASS = "[A-HY][0-9][0-9][A-Z]"

MACROS = (
    "CREATE OR REPLACE MACRO pr_text(x) AS nullif(trim(CAST(x AS VARCHAR)), '')",
    "CREATE OR REPLACE MACRO pr_date(x) AS CASE WHEN x >= DATE '9999-01-01' THEN NULL ELSE x END",
    "CREATE OR REPLACE MACRO pr_year(x) AS CASE WHEN x = 9999 OR x = 0 THEN NULL ELSE x END",
    "CREATE OR REPLACE MACRO pr_id(x) AS CASE WHEN x = 0 THEN NULL ELSE x END",
    "CREATE OR REPLACE MACRO pr_flag(x) AS coalesce(upper(trim(x)) IN ('Y', '1'), false)",
    "CREATE OR REPLACE MACRO pr_flag_ok(x) AS coalesce(upper(trim(x)), '') IN ('Y', 'N', '1', '0', '')",
    "CREATE OR REPLACE MACRO pr_number(n) AS regexp_replace("
    "  regexp_replace(regexp_replace(upper(n), '^\\s+|\\s+$', '', 'g'), '[, ]', '', 'g'),"
    "  '^([A-Z]*)0+([0-9])', '\\1\\2')",
    "CREATE OR REPLACE MACRO pr_pub_id(office, number, kind) AS "
    "  upper(trim(office)) || '-' || pr_number(number) || '-' || upper(trim(kind))",
    f"CREATE OR REPLACE MACRO pr_symbol_of(u) AS CASE"
    f"  WHEN regexp_matches(u, '^{_SUBCLASS}\\s*[0-9]{{1,4}}\\s*/\\s*[0-9]{{1,6}}$') THEN"
    f"    regexp_extract(u, '^({_SUBCLASS})', 1) || ' ' ||"
    f"    coalesce(nullif(ltrim(regexp_extract(u, '^{_SUBCLASS}\\s*([0-9]{{1,4}})', 1), '0'), ''), '0') || '/' ||"
    f"    regexp_extract(u, '/\\s*([0-9]{{1,6}})$', 1)"
    f"  WHEN regexp_matches(u, '^{_SUBCLASS}$') THEN u"
    f"  ELSE NULL END",
    "CREATE OR REPLACE MACRO pr_symbol(s) AS pr_symbol_of(upper(trim(s)))",
)


def define_macros(con: duckdb.DuckDBPyConnection) -> None:
    for statement in MACROS:
        con.execute(statement)
