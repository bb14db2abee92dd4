"""A figure asked again runs its kept SQL without Ibis (``indicators/compiled.py``), with the
same rows as compiling it afresh; what the SQL depends on is in its key."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import pytest

import patentreach.indicators.run as run
from patentreach.indicators import indicator_set, outbound, outbound_set, prepare
from patentreach.indicators.compiled import QUERIES, CompiledQuery, QueryCache, engine_key
from patentreach.refdata.technology_fields import technology_fields
from patentreach.warehouse import Warehouse
from patentreach.warehouse.engines import connect

SPECS = indicator_set(("JP",), (2005, 2012))


def _as_compared(results):
    return {name: (r.columns, r.rows, r.definition) for name, r in results.items()}


@pytest.fixture(scope="module")
def prepared_warehouse(sample_warehouse, tmp_path_factory):
    """A copy of the sample warehouse with its fact tables prepared (as the benchmark counts)."""
    copy = Warehouse(tmp_path_factory.mktemp("compiled") / "wh")
    shutil.copytree(sample_warehouse.root, copy.root)
    with connect(copy) as engine:
        prepare(engine, rules=("first_applicant",))
    return copy


@pytest.fixture(scope="module")
def fresh(prepared_warehouse):
    """The set compiled without the cache: the reference."""
    with pytest.MonkeyPatch.context() as patch, connect(prepared_warehouse) as engine:
        patch.setattr(run, "engine_key", lambda engine: None)
        return _as_compared(outbound_set(engine, SPECS))


def test_the_set_asked_twice_compiles_once_and_equals_the_uncached_set(prepared_warehouse, fresh, monkeypatch):
    QUERIES.clear()
    with connect(prepared_warehouse) as engine:
        first = _as_compared(outbound_set(engine, SPECS))
        assert (QUERIES.misses, QUERIES.hits) == (6, 0)

        def no_ibis(*_args, **_kwargs):
            raise AssertionError("compiled again")

        # (the notes' counts, explanations.py, still run their own small query)
        monkeypatch.setattr(run, "outbound_table", no_ibis)
        monkeypatch.setattr(run, "_shared_base", no_ibis)
        second = _as_compared(outbound_set(engine, SPECS))
    assert (QUERIES.misses, QUERIES.hits) == (6, 6)
    assert first == second == fresh


def test_a_new_connection_to_the_same_warehouse_reuses_the_kept_queries(prepared_warehouse):
    QUERIES.clear()
    with connect(prepared_warehouse) as engine:
        outbound(engine, SPECS["field_year"])
    with connect(prepared_warehouse) as engine:
        again = outbound(engine, SPECS["field_year"])
    assert (QUERIES.misses, QUERIES.hits) == (1, 1)
    names = technology_fields()
    assert again.rows and all(row["field_name"] == names[row["field"]].name for row in again.rows)


def test_facts_computed_from_the_views_are_not_kept_and_count_the_same(sample_warehouse, fresh):
    # without prepared facts the fields come from the IPC concordance, an in-memory table
    QUERIES.clear()
    with connect(sample_warehouse) as engine:
        from_views = outbound_set(engine, SPECS)
        again = outbound_set(engine, SPECS)
    assert QUERIES.hits == QUERIES.misses  # only the queries without in-memory tables were kept
    assert QUERIES.misses < 6
    for name, result in again.items():
        assert (result.columns, result.rows) == (from_views[name].columns, from_views[name].rows)
        assert (result.columns, result.rows) == fresh[name][:2], name


def test_field_year_in_the_set_names_every_field_from_the_reference_table(fresh):
    _columns, rows, _definition = fresh["field_year"]
    names = technology_fields()
    assert rows and [row["field_name"] for row in rows] == [names[row["field"]].name for row in rows]


def _engine(fingerprint: str, root: str = "/w") -> SimpleNamespace:
    backend = SimpleNamespace(sql=None, compile=None)
    return SimpleNamespace(name="duckdb", backend=backend, capabilities="caps", warehouse=SimpleNamespace(root=root),
                           fingerprint=lambda: fingerprint)


def test_the_key_changes_with_the_warehouse_content_and_place():
    assert engine_key(_engine("a")) == engine_key(_engine("a"))
    assert engine_key(_engine("a")) != engine_key(_engine("b"))
    assert engine_key(_engine("a")) != engine_key(_engine("a", root="/other"))


def test_an_engine_that_cannot_name_its_content_is_not_cached():
    assert engine_key(SimpleNamespace(name="x", backend=SimpleNamespace(sql=None, compile=None))) is None
    assert engine_key(SimpleNamespace(name="x", backend=object(), fingerprint=lambda: "a")) is None


def test_the_cache_drops_the_least_recently_used_query():
    cache = QueryCache(size=2)
    for key in ("a", "b"):
        cache.put(key, CompiledQuery(key, None))
    cache.get("a")
    cache.put("c", CompiledQuery("c", None))
    assert [cache.get(k) is not None for k in ("a", "b", "c")] == [True, False, True]
