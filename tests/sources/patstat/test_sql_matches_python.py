"""The SQL macros the PATSTAT mapping uses give exactly what the Python model functions give."""

from __future__ import annotations

import duckdb
import pytest

from patentreach.model.ipc import normalise_ipc
from patentreach.model.records import make_pub_id, strip_leading_zeros
from patentreach.sources.patstat import PatstatCsv
from patentreach.sources.patstat.macros import define_macros
from patentreach.sources.patstat.tables import header_columns, table_of_header
from tests.sources.patstat.sample import rows

TRICKY_NUMBERS = [
    "0166996", "07062920", "D0967598", "RE046000", "PP012345", "H0001234", "000", "0", "0A1", "2004154294",
    " 0012 ", "1,234,567", "12 345", "00D0012", "WO2012040534", "0009744", "", "ABC", "0X", "US0001",
]


@pytest.fixture()
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    define_macros(connection)
    return connection


@pytest.mark.parametrize("number", TRICKY_NUMBERS)
def test_pr_number_equals_strip_leading_zeros(con, number: str) -> None:
    assert con.execute("SELECT pr_number(?)", [number]).fetchone()[0] == strip_leading_zeros(number)


def test_pr_pub_id_equals_make_pub_id(con) -> None:
    for office, number, kind in [("ep", "0166996", "b1 "), ("US", "2004154294", "A1"), ("AP", "0001206", "A")]:
        sql = con.execute("SELECT pr_pub_id(?, ?, ?)", [office, number, kind]).fetchone()[0]
        assert sql == make_pub_id(office, number, kind)


def test_pr_symbol_equals_normalise_ipc_on_every_sample_symbol(con) -> None:
    symbols = [r["ipc_class_symbol"] for r in rows("tls209_appln_ipc")] + [
        r["cpc_class_symbol"] for r in rows("tls224_appln_cpc")
    ]
    symbols += ["A23L  33/15", "H04N 101/00", "C07C2603/66", "A63F2300/6081", "H01L", "", "not a symbol", "A61K   9/16"]
    assert len(symbols) == 535 + 246 + 8
    for symbol in symbols:
        assert con.execute("SELECT pr_symbol(?)", [symbol]).fetchone()[0] == normalise_ipc(symbol), symbol


def test_flags_read_both_domains(con) -> None:
    got = con.execute("SELECT pr_flag('Y'), pr_flag('1'), pr_flag('N'), pr_flag('0'), pr_flag(''), pr_flag(NULL),"
                      " pr_flag_ok('Y'), pr_flag_ok('0'), pr_flag_ok('X')").fetchone()
    assert got == (True, True, False, False, False, False, True, True, False)


def test_missing_defaults_become_null(con) -> None:
    got = con.execute("SELECT pr_date(DATE '9999-12-31'), pr_year(9999), pr_text('  '), pr_id(0), pr_id(22179393)"
                      ).fetchone()
    assert got == (None, None, None, None, 22179393)


def test_headers_are_recognised_by_content() -> None:
    reader = PatstatCsv()
    assert reader.sniff(b"appln_id,cpc_class_symbol\r\n19,\"C12N  15/113\"\r\n").version == "tls224_appln_cpc"
    assert reader.sniff(b"appln_id,techn_field_nr,weight\r\n").version == "tls230_appln_techn_field"
    person = (b"person_id,person_name,person_name_orig_lg,person_address,person_ctry_code,nuts,nuts_level,"
              b"doc_std_name_id,doc_std_name,psn_id,psn_name,psn_level,psn_sector,han_id,han_name,han_harmonized")
    assert reader.sniff(person + b",reg_code\r\n").version == "tls206_person"
    assert reader.sniff(b"\xef\xbb\xbf" + person + b"\r\n").version == "tls206_person"
    assert reader.sniff(b"appln_id,something_else\r\n") is None
    assert reader.sniff(b"Jurisdiction,Kind,Lens ID\r\n") is None
    columns = header_columns(b"appln_id,appln_auth\r\n")
    assert columns == ["appln_id", "appln_auth"] and table_of_header(columns) is None
