"""``patentreach query`` looks but does not touch: each known way of writing, altering the
warehouse, reading local files or reaching the network fails with exit 2 and one line, and
normal queries on the views still work. ``--unsafe`` lifts the sandbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from tests.conftest import shared_path

runner = CliRunner(env={"COLUMNS": "200", "PATENTREACH_DEBUG": ""})


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("query") / "wh"
    folder = shared_path("data", "uspto-grant-xml", "ipgb-biblio")
    result = runner.invoke(app, ["ingest", str(folder), "--warehouse", str(root)])
    assert result.exit_code == 0, result.output
    return root


def _query(warehouse: Path, sql: str, *extra: str):
    return runner.invoke(app, ["query", sql, "--warehouse", str(warehouse), *extra])


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _parts(warehouse: Path) -> list[str]:
    return sorted(str(p.relative_to(warehouse)) for p in warehouse.rglob("*") if p.is_file())


def test_select_on_the_views_still_works(warehouse):
    result = _query(warehouse, "SELECT doc_type, count(*) AS n FROM publications GROUP BY 1 ORDER BY 1", "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {"doc_type": "design", "n": 3},
        {"doc_type": "invention_grant", "n": 6},
        {"doc_type": "plant", "n": 1},
        {"doc_type": "reissue", "n": 3},
    ]


def test_with_describe_and_from_first_are_reads(warehouse):
    assert _query(warehouse, "WITH p AS (SELECT * FROM publications) SELECT count(*) FROM p").exit_code == 0
    assert _query(warehouse, "DESCRIBE publications").exit_code == 0
    result = _query(warehouse, "FROM ingest_log SELECT count(*) AS files", "--format", "csv")
    assert (result.exit_code, result.output) == (0, "files\n2\n")


def test_copy_into_the_ingest_log_folder_is_refused_and_writes_nothing(warehouse):
    before = _parts(warehouse)
    target = warehouse / "ingest_log" / "evil.parquet"
    result = _query(warehouse, f"COPY (SELECT 1 AS x) TO '{target}'")
    assert result.exit_code == 2
    statement = f"COPY (SELECT 1 AS x) TO '{target}'"[:80]
    assert _lines(result.output) == [
        f"error: query is read-only: COPY statements are not allowed, only SELECT (statement: {statement}); "
        "--unsafe lifts this"
    ]
    assert _parts(warehouse) == before


def test_copy_anywhere_else_is_refused(warehouse, tmp_path):
    result = _query(warehouse, f"COPY publications TO '{tmp_path / 'out.csv'}'")
    assert result.exit_code == 2
    assert len(_lines(result.output)) == 1
    assert not (tmp_path / "out.csv").exists()


def test_attach_and_drop_view_cannot_alter_the_warehouse(warehouse):
    result = _query(warehouse, f"ATTACH '{warehouse / 'warehouse.duckdb'}' AS w; DROP VIEW w.publications")
    assert result.exit_code == 2
    assert _lines(result.output)[0].startswith("error: query is read-only: ATTACH statements are not allowed")
    assert len(_lines(result.output)) == 1
    assert _query(warehouse, "SELECT count(*) FROM publications", "-f", "csv").output == "count_star()\n13\n"


def test_reading_a_local_file_outside_the_warehouse_is_refused(warehouse):
    result = _query(warehouse, "SELECT * FROM read_csv('/etc/passwd')")
    assert result.exit_code == 2
    assert _lines(result.output) == [
        'error: query is read-only: Cannot access file "/etc/passwd" - file system operations are disabled by '
        "configuration; --unsafe lifts this"
    ]


def test_climbing_out_of_the_warehouse_with_dot_dot_is_refused(warehouse):
    result = _query(warehouse, f"SELECT * FROM read_csv('{warehouse}/../../../../etc/passwd')")
    assert result.exit_code == 2
    assert "file system operations are disabled" in result.output


def test_install_and_load_of_extensions_are_refused(warehouse):
    install = _query(warehouse, "INSTALL httpfs")
    assert install.exit_code == 2
    assert _lines(install.output)[0].startswith("error: query is read-only: LOAD statements are not allowed")
    remote = _query(warehouse, "SELECT * FROM 'https://example.com/data.csv'")
    assert remote.exit_code == 2
    assert 'Cannot access file "https://example.com/data.csv"' in remote.output


def test_settings_cannot_be_changed(warehouse):
    result = _query(warehouse, "SET enable_external_access = true")
    assert result.exit_code == 2
    assert "SET statements are not allowed" in result.output


def test_a_forbidden_statement_after_a_select_stops_the_whole_query_before_it_runs(warehouse, tmp_path):
    result = _query(warehouse, f"SELECT 1; COPY (SELECT 1) TO '{tmp_path / 'x.csv'}'")
    assert result.exit_code == 2
    assert not (tmp_path / "x.csv").exists()


def test_unsafe_lifts_the_sandbox(warehouse, tmp_path):
    target = tmp_path / "copied.csv"
    result = _query(warehouse, f"COPY (SELECT doc_type FROM publications WHERE doc_type = 'plant') TO '{target}'",
                    "--unsafe")
    assert result.exit_code == 0, result.output
    assert target.read_text() == "doc_type\nplant\n"


def test_sql_errors_are_one_line_exit_2(warehouse):
    result = _query(warehouse, "SELECT nope FROM publications")
    assert result.exit_code == 2
    lines = _lines(result.output)
    assert len(lines) == 1
    assert lines[0].startswith('error: Binder Error: Referenced column "nope" not found')


def test_a_missing_warehouse_is_exit_2_not_an_empty_answer(tmp_path):
    result = runner.invoke(app, ["query", "SELECT count(*) FROM publications", "--warehouse", str(tmp_path / "no")])
    assert result.exit_code == 2
    assert _lines(result.output) == [
        f"error: {tmp_path / 'no'}: no warehouse here (run `patentreach ingest` first, or give --warehouse DIR)"
    ]


def test_out_infers_the_format_from_the_extension(warehouse, tmp_path):
    csv_file, json_file = tmp_path / "rows.csv", tmp_path / "rows.JSON"
    sql = "SELECT doc_type, count(*) AS n FROM publications GROUP BY 1 ORDER BY 1"
    assert _query(warehouse, sql, "--out", str(csv_file)).exit_code == 0
    assert csv_file.read_text() == "doc_type,n\ndesign,3\ninvention_grant,6\nplant,1\nreissue,3\n"
    result = _query(warehouse, sql, "-o", str(json_file))
    assert result.exit_code == 0
    assert _lines(result.output) == [f"note: 4 rows written to {json_file}"]
    assert json.loads(json_file.read_text())[0] == {"doc_type": "design", "n": 3}


def test_out_with_an_unknown_extension_is_exit_2_listing_the_formats(warehouse, tmp_path):
    result = _query(warehouse, "SELECT 1", "--out", str(tmp_path / "rows.xls"))
    assert result.exit_code == 2
    assert _lines(result.output) == [
        f"error: --out {tmp_path / 'rows.xls'}: unknown extension '.xls' to tell the format from (or give --format); "
        "choose from .csv, .json"
    ]
    assert not (tmp_path / "rows.xls").exists()
    bare = _query(warehouse, "SELECT 1", "--out", str(tmp_path / "rows"))
    assert bare.exit_code == 2
    assert _lines(bare.output) == [
        f"error: --out {tmp_path / 'rows'}: no extension to tell the format from (or give --format); "
        "choose from .csv, .json"
    ]


def test_format_given_with_out_wins_over_the_extension(warehouse, tmp_path):
    target = tmp_path / "rows.txt"
    assert _query(warehouse, "SELECT 1 AS x", "--out", str(target), "--format", "json").exit_code == 0
    assert json.loads(target.read_text()) == [{"x": 1}]


def test_an_unknown_format_suggests_the_closest(warehouse):
    result = _query(warehouse, "SELECT 1", "--format", "jsn")
    assert result.exit_code == 2
    assert _lines(result.output) == [
        "error: --format 'jsn' is not a format; choose from table, csv, json (did you mean json?)"
    ]


def test_csv_out_neutralises_formula_like_text(warehouse, tmp_path):
    target = tmp_path / "f.csv"
    assert _query(warehouse, "SELECT '=1+1' AS cell", "-o", str(target)).exit_code == 0
    assert target.read_text() == "cell\n'=1+1\n"


def test_a_screen_table_shows_the_first_rows_and_says_so(warehouse):
    result = _query(warehouse, "SELECT * FROM range(5)", "--max-rows", "2")
    assert result.exit_code == 0
    assert _lines(result.output)[-1] == (
        "note: only the first 2 rows are shown; --max-rows N, or --out FILE.csv for more"
    )


def test_disk_full_while_writing_out_is_one_line_naming_the_file(warehouse, tmp_path, monkeypatch):
    import builtins
    import errno

    target = tmp_path / "rows.csv"
    real_open = builtins.open

    def full_disk(file, mode="r", *args, **kwargs):
        if str(file) == str(target):
            raise OSError(errno.ENOSPC, "No space left on device", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", full_disk)
    result = _query(warehouse, "SELECT 1 AS x", "--out", str(target))
    assert result.exit_code == 1
    assert _lines(result.output) == [f"error: disk full (errno 28) writing {target}"]


def test_a_table_wider_than_the_screen_says_how_to_see_whole_values(warehouse):
    narrow = CliRunner(env={"COLUMNS": "80"})
    result = narrow.invoke(app, ["query", "SELECT * FROM publications LIMIT 2", "-w", str(warehouse)])
    assert result.exit_code == 0
    assert _lines(result.output)[-1] == (
        "note: the table is wider than the screen (80 characters), so values are cut (…); "
        "--format csv or --out FILE.csv shows them whole"
    )
    fits = narrow.invoke(app, ["query", "SELECT count(*) AS n FROM publications", "-w", str(warehouse)])
    assert "note:" not in fits.output
