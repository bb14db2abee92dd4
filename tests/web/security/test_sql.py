"""No client text reaches SQL unparameterised: a scan of ``patentreach/web`` for SQL built with
f-strings, ``%`` or ``.format``, and injection strings sent to the API (one-line 400s, never a
500, and the warehouse answers as before)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import patentreach.web

WEB = Path(patentreach.web.__file__).parent
SQL_CALLS = {"execute", "executemany", "executescript", "sql", "raw_sql", "read_sql", "query"}
SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|DROP|CREATE|ALTER|PRAGMA|ATTACH)\b.*"
                       r"\b(FROM|INTO|SET|WHERE|TABLE|VALUES|VIEW|INDEX|DATABASE|journal_mode)\b",
                       re.IGNORECASE | re.DOTALL)


def _built(node: ast.AST) -> bool:
    """An expression that builds a string from parts: f-string, ``%``, ``+`` or ``.format``."""
    return (isinstance(node, ast.JoinedStr)
            or (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add))
            or (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"))


def _literal_text(node: ast.AST) -> str:
    return " ".join(part.value for part in ast.walk(node)
                    if isinstance(part, ast.Constant) and isinstance(part.value, str))


def built_sql(source: str) -> list[int]:
    """Lines where SQL is built from parts: a built first argument of an execute-like call, or a
    built string whose literal text reads as SQL."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS \
                and node.args and _built(node.args[0]):
            found.add(node.lineno)
        if _built(node) and SQL_WORDS.search(_literal_text(node)):
            found.add(node.lineno)
    return sorted(found)


def test_the_scan_finds_built_sql() -> None:
    assert built_sql('db.execute(f"SELECT * FROM users WHERE name = \'{name}\'")\n') == [1]
    assert built_sql('x = 1\ncon.sql("SELECT * FROM t WHERE o = %s" % origin)\n') == [2]
    assert built_sql('q = "DELETE FROM t WHERE id = {}".format(i)\n') == [1]
    assert built_sql('q = "UPDATE t SET a = " + value\n') == [1]
    assert built_sql('db.execute("SELECT name FROM users WHERE name = ?", (name,))\n') == []
    assert built_sql('message = f"office {office!r} is not known"\n') == []


def test_no_sql_is_built_from_parts_in_the_web_package() -> None:
    offenders = {str(path.relative_to(WEB)): lines for path in sorted(WEB.rglob("*.py"))
                 if (lines := built_sql(path.read_text(encoding="utf-8")))}
    assert offenders == {}


INJECTIONS = [
    ({"origin": "' OR 1=1 --"}, "origin \"' OR 1=1 --\" is not a known country code"),
    ({"offices": '"; DROP TABLE publications; --'}, "office '\"; drop table publications; --' is not known"),
    ({"origin": "JP", "offices": "US' OR '1'='1"}, "office \"us' or '1'='1\" is not known"),
    ({"years": "2005; DROP TABLE publications"}, "years '2005; DROP TABLE publications': expected YYYY or YYYY-YYYY"),
    ({"by": "office,year); DROP TABLE x; --"}, "breakdown 'year); drop table x; --' is not known"),
    ({"sector": "' OR 1=1 --"}, "sector \"' or 1=1 --\" is not known"),
]


@pytest.mark.parametrize(("params", "message"), INJECTIONS)
def test_injection_strings_are_one_line_400s(client: TestClient, params: dict[str, str], message: str) -> None:
    sane = {"origin": "JP", "offices": "US", "years": "2005-2012"}
    before = client.get("/api/v1/outbound", params=sane).json()
    answer = client.get("/api/v1/outbound", params=params)
    assert answer.status_code == 400
    assert answer.json()["status"] == 400
    assert answer.json()["error"].startswith(message)
    assert "\n" not in answer.json()["error"]
    assert client.get("/api/v1/outbound", params=sane).json() == before


@pytest.mark.parametrize(("cells", "message"), [
    (["office=US' OR 1=1 --", "year=2021"], "office \"US' OR 1=1 --\" is not known"),
    (["office=US", "year=2005 OR 1=1"], "cell year='2005 OR 1=1': expected a whole number (a year such as 2021)"),
])
def test_injection_in_a_records_cell_is_a_400(client: TestClient, cells: list[str], message: str) -> None:
    answer = client.get("/api/v1/outbound/records", params={"cell": cells})
    assert answer.status_code == 400
    assert answer.json()["error"].startswith(message)
