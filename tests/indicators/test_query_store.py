"""Compiled queries kept on disk (``indicators/query_store.py``): a new process's first figure
runs the kept SQL without Ibis and counts the same; an entry is never used for another key, code
or library version; a damaged, failing or unwritable entry is ignored and compiled afresh."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import ibis
import pytest

import patentreach.indicators.run as run
from patentreach.indicators import indicator_set, outbound
from patentreach.indicators import query_store as store
from patentreach.indicators.compiled import QUERIES, CompiledQuery
from patentreach.warehouse.engines import connect

# office by year needs no in-memory table even without prepared facts, so its SQL is kept
SPEC = indicator_set(("JP",), (2005, 2012))["office_year"]
SCHEMA = ibis.schema({"office": "!string", "year": "int32", "n": "float64", "shares": "array<decimal(18, 6)>",
                      "cell": "struct<a: int64, b: string>"})
ENGINE = SimpleNamespace(name="duckdb")


@pytest.fixture
def kept(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "queries"
    monkeypatch.setenv(store.ENV_VAR, str(folder))
    return folder


def _compared(result):
    return result.columns, result.rows, result.definition


def _no_ibis(*_args, **_kwargs):
    raise AssertionError("built the Ibis expression again")


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


def test_a_new_process_runs_the_kept_sql_without_ibis_and_counts_the_same(sample_warehouse, kept, monkeypatch):
    QUERIES.clear()
    with connect(sample_warehouse) as engine:
        first = outbound(engine, SPEC)
        assert len(_entries(kept)) == 1
        QUERIES.clear()  # (what a new process starts with)
        monkeypatch.setattr(run, "outbound_table", _no_ibis)
        again = outbound(engine, SPEC)
    assert first.rows and _compared(again) == _compared(first)


def test_a_damaged_entry_is_ignored_and_written_again(sample_warehouse, kept):
    QUERIES.clear()
    with connect(sample_warehouse) as engine:
        first = outbound(engine, SPEC)
        (entry,) = _entries(kept)
        entry.write_text('{"format": 1, "key": "trunc', encoding="utf-8")
        QUERIES.clear()
        again = outbound(engine, SPEC)
    assert _compared(again) == _compared(first)
    assert json.loads(entry.read_text(encoding="utf-8"))["sql"].lstrip().upper().startswith(("SELECT", "WITH"))


def test_a_kept_query_that_fails_is_dropped_and_compiled_afresh(sample_warehouse, kept):
    QUERIES.clear()
    with connect(sample_warehouse) as engine:
        first = outbound(engine, SPEC)
        (entry,) = _entries(kept)
        damaged = json.loads(entry.read_text(encoding="utf-8")) | {"sql": "SELECT no_such_column FROM publications"}
        entry.write_text(json.dumps(damaged), encoding="utf-8")
        QUERIES.clear()
        again = outbound(engine, SPEC)
    assert _compared(again) == _compared(first)
    assert "no_such_column" not in entry.read_text(encoding="utf-8")


def test_the_schema_survives_the_trip_through_the_file(kept):
    store.save(ENGINE, ("k", 1), CompiledQuery("SELECT 1", SCHEMA))
    loaded = store.load(ENGINE, ("k", 1))
    assert (loaded.sql, loaded.schema, loaded.stored) == ("SELECT 1", SCHEMA, True)


def test_an_entry_is_used_only_for_its_own_key(kept):
    store.save(ENGINE, ("k", 1), CompiledQuery("SELECT 1", SCHEMA))
    (entry,) = _entries(kept)
    assert store.load(ENGINE, ("k", 2)) is None
    # an entry holding another key under this key's name (a collision, or a copied file) is not used
    entry.rename(store._entry_path(ENGINE, ("k", 2)))
    assert store.load(ENGINE, ("k", 2)) is None


def test_the_entrys_name_changes_with_the_libraries_the_code_and_the_overrides(kept, tmp_path, monkeypatch):
    before = store._entry_path(ENGINE, ("k", 1))
    assert store._entry_path(SimpleNamespace(name="spark"), ("k", 1)) != before
    import sqlglot

    with monkeypatch.context() as patch:
        patch.setattr(sqlglot, "__version__", "0.0.1")
        assert store._entry_path(ENGINE, ("k", 1)) != before
    with monkeypatch.context() as patch:
        patch.setattr(store, "_package_stamp", lambda: "edited")
        assert store._entry_path(ENGINE, ("k", 1)) != before
    overrides = tmp_path / "refdata"
    overrides.mkdir()
    (overrides / "offices.csv").write_text("code\n", encoding="utf-8")
    monkeypatch.setenv("PATENTREACH_REFDATA", str(overrides))
    assert store._entry_path(ENGINE, ("k", 1)) != before


def test_the_package_stamp_changes_when_a_file_of_the_indicators_changes(tmp_path, monkeypatch):
    root = tmp_path / "patentreach"
    for package in store.CODE_PACKAGES:
        (root / package).mkdir(parents=True)
    (root / "indicators" / "counting.py").write_text("A = 1\n", encoding="utf-8")
    (root / "store.py").write_text("", encoding="utf-8")
    monkeypatch.setattr(store, "__file__", str(root / "indicators" / "query_store.py"))
    stamps = []
    for text in ("A = 1\n", "A = 22\n"):
        (root / "indicators" / "counting.py").write_text(text, encoding="utf-8")
        store._package_stamp.cache_clear()
        stamps.append(store._package_stamp())
    store._package_stamp.cache_clear()
    assert stamps[0] != stamps[1]


def test_off_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(store.ENV_VAR, "off")
    store.save(ENGINE, ("k", 1), CompiledQuery("SELECT 1", SCHEMA))
    assert store.store_dir() is None and store.load(ENGINE, ("k", 1)) is None


def test_a_store_that_cannot_be_written_is_not_an_error(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(store.ENV_VAR, str(blocker / "queries"))
    store.save(ENGINE, ("k", 1), CompiledQuery("SELECT 1", SCHEMA))
    assert store.load(ENGINE, ("k", 1)) is None


def test_the_oldest_entries_are_dropped_beyond_the_limit(kept, monkeypatch):
    monkeypatch.setattr(store, "MAX_ENTRIES", 3)
    for number in range(5):
        store.save(ENGINE, ("k", number), CompiledQuery(f"SELECT {number}", SCHEMA))
        os.utime(store._entry_path(ENGINE, ("k", number)), (1_000_000 + number, 1_000_000 + number))
    assert len(_entries(kept)) == 3
    assert [store.load(ENGINE, ("k", number)) is not None for number in range(5)] == [False, False, True, True, True]
