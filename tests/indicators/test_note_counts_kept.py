"""What a set's first run in a new process skips (issue #20): the counts behind the notes are kept
beside the compiled queries and read back instead of scanning the facts again, under a key that
changes with the prepared tables' files; kept queries are typed from their Arrow schema exactly
as Ibis types them; nothing of it loads pandas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pyarrow as pa
import pytest

import patentreach.indicators.explanations as explanations
from patentreach.indicators import indicator_set, outbound_set
from patentreach.indicators import query_store as store
from patentreach.indicators.compiled import NOTE_COUNTS, QUERIES, _converted
from patentreach.indicators.prepared import MANIFEST, FactSource, fact_source
from patentreach.indicators.run import _source_key
from patentreach.warehouse.engines import connect

SPECS = indicator_set(("JP",), (2005, 2012))
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def kept(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "queries"
    monkeypatch.setenv(store.ENV_VAR, str(folder))
    return folder


def _new_process() -> None:
    QUERIES.clear()
    NOTE_COUNTS.clear()


def _as_compared(results):
    return {name: (r.columns, r.rows, r.definition) for name, r in results.items()}


def _no_counting(*_args, **_kwargs):
    raise AssertionError("counted the facts again")


def test_a_new_process_reads_the_kept_note_counts_and_gives_the_same_results(sample_warehouse, kept, monkeypatch):
    _new_process()
    with connect(sample_warehouse) as engine:
        first = outbound_set(engine, SPECS)
        (entry,) = sorted((kept / store.VALUES).glob("*.json"))  # (the six figures select the same documents)
        _new_process()
        with monkeypatch.context() as patch:
            patch.setattr(explanations, "_thin", _no_counting)
            again = outbound_set(engine, SPECS)
        # a damaged entry is counted afresh (and written again)
        entry.write_text('{"format": 2, "key": "tr', encoding="utf-8")
        _new_process()
        afresh = outbound_set(engine, SPECS)
    assert first["office_year"].definition["doc_type_rules"]
    assert _as_compared(again) == _as_compared(first) == _as_compared(afresh)
    value = json.loads(entry.read_text(encoding="utf-8"))["value"]
    assert value["doc_type_rules"] == first["office_year"].definition["doc_type_rules"]


def _prepared_engine(derived: Path) -> SimpleNamespace:
    (derived / "outbound_facts_first_applicant").mkdir(parents=True)
    (derived / MANIFEST).write_text(json.dumps({
        "version": 2, "fingerprint": "f", "written_at": "2026-12-07T09:00:00+00:00",
        "tables": ["outbound_facts_first_applicant", "outbound_fields"]}), encoding="utf-8")
    return SimpleNamespace(derived_dir=derived, fingerprint=lambda: "f")


def test_the_kept_counts_key_changes_when_a_prepared_tables_file_is_rewritten(tmp_path):
    engine = _prepared_engine(tmp_path / "derived")
    part = tmp_path / "derived" / "outbound_facts_first_applicant" / "part-00000.parquet"
    part.write_bytes(b"one")
    before = fact_source(engine)
    part.write_bytes(b"other")
    os.utime(part, ns=(1_000_000_000, 1_000_000_000))
    after = fact_source(engine)
    # only the table whose files are there counts as prepared (outbound_fields has none)
    assert before.prepared_tables == after.prepared_tables == frozenset({"outbound_facts_first_applicant"})
    assert [f[:2] for f in before.files] == [("outbound_facts_first_applicant/part-00000.parquet", 3)]
    assert after.files == (("outbound_facts_first_applicant/part-00000.parquet", 5, 1_000_000_000),)
    assert _source_key(before) != _source_key(after)


def test_values_are_kept_apart_from_queries_and_only_for_their_own_key(kept):
    engine = SimpleNamespace(name="duckdb")
    store.save_value(engine, ("note_counts", 1), {"selected": 3})
    assert [p.parent.name for p in kept.rglob("*.json")] == [store.VALUES]
    assert store.load_value(engine, ("note_counts", 1)) == {"selected": 3}
    assert store.load_value(engine, ("note_counts", 2)) is None
    assert store.load(engine, ("note_counts", 1)) is None


def test_a_kept_querys_rows_are_typed_exactly_as_ibis_types_them():
    import ibis
    from ibis.formats.pyarrow import PyArrowData, PyArrowSchema

    schema = ibis.schema({"office": "!string", "year": "int64", "count": "float64", "rank": "int32"})
    table = pa.table({"office": ["EP", "US"], "year": pa.array([2020, 2021], pa.int64()),
                      "count": pa.array([1, 2], pa.int64()), "rank": pa.array([1, 2], pa.int64())})
    expected = PyArrowData.convert_table(table, schema)
    got = _converted(table, PyArrowSchema.from_ibis(schema))
    assert got.schema == expected.schema and got.equals(expected)
    same = PyArrowData.convert_table(expected, schema)
    assert _converted(expected, PyArrowSchema.from_ibis(schema)) is expected and same is expected


def test_a_sets_first_run_in_a_new_process_with_everything_kept_loads_no_pandas(sample_warehouse, kept):
    script = (
        "import sys\n"
        "from patentreach.indicators import indicator_set, outbound_set\n"
        "from pathlib import Path\n"
        "from patentreach.warehouse import Warehouse\n"
        "from patentreach.warehouse.engines import connect\n"
        f"with connect(Warehouse(Path({str(sample_warehouse.root)!r}))) as engine:\n"
        "    before = 'pandas' in sys.modules\n"
        "    specs = indicator_set(('JP',), (2005, 2012))\n"
        # (by field, facts computed from the views join an in-memory concordance: not kept)
        "    outbound_set(engine, {n: s for n, s in specs.items() if 'field' not in s.by})\n"
        "print(before, 'pandas' in sys.modules)\n"
    )
    env = os.environ | {store.ENV_VAR: str(kept), "PYTHONPATH": str(REPO)}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=REPO,
                           check=True).stdout.split() for _ in range(2)]
    assert runs[1] == ["False", "False"]


def test_a_fact_source_without_files_is_not_prepared(tmp_path):
    engine = _prepared_engine(tmp_path / "derived")
    source = fact_source(engine)
    assert isinstance(source, FactSource) and not source.prepared and source.files == ()
