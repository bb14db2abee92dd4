"""Prepared fact tables: the same figures as the views, and never used once stale."""

from __future__ import annotations

import os
import shutil

import pytest

from patentreach.indicators import OutboundSpec, indicator_set, outbound, outbound_set, prepare
from patentreach.indicators.prepared import fact_source
from patentreach.warehouse import Warehouse
from patentreach.warehouse.engines import connect


@pytest.fixture
def mini_copy(mini_warehouse: Warehouse, tmp_path) -> Warehouse:
    copy = Warehouse(tmp_path / "wh")
    shutil.copytree(mini_warehouse.root, copy.root)
    return copy


def test_prepared_facts_give_the_same_figures(mini_copy: Warehouse) -> None:
    """Including every field breakdown: the prepared facts unnest their field lists where the
    computed ones join the field table."""
    specs = indicator_set(("CN",), (2018, 2022))
    by_field = OutboundSpec(scope="all", by=("origin", "field"))
    specs |= {
        "field_first": by_field.replace(field_counting="first"),
        "field_families": by_field.replace(unit="families"),
        "field_applicants_fractional": by_field.replace(origin_rule="applicants", counting="fractional"),
        "field_whole_families_inventors": by_field.replace(origin_rule="inventors", unit="families",
                                                           field_counting="first"),
    }
    with connect(mini_copy) as engine:
        computed = outbound_set(engine, specs)
        report = prepare(engine)
        assert set(report.tables) == {"outbound_facts_first_applicant", "outbound_facts_applicants",
                                      "outbound_facts_inventors", "outbound_fields"}
        assert fact_source(engine).prepared
        prepared = outbound_set(engine, specs)
        assert "field_list" in engine.table("outbound_facts_applicants").columns
    for name in specs:
        assert prepared[name].rows == computed[name].rows, name
        assert computed[name].rows, name
        assert "prepared" in prepared[name].definition["computed"]["facts"]
        assert "computed" in computed[name].definition["computed"]["facts"]


def test_stale_facts_are_not_used(mini_copy: Warehouse) -> None:
    spec = indicator_set(("CN",))["office_year"]
    with connect(mini_copy) as engine:
        prepare(engine, rules=("first_applicant",))
        before = outbound(engine, spec)
        assert "prepared" in before.definition["computed"]["facts"]
        applicants = outbound(engine, spec.replace(origin_rule="applicants"))
        assert "not prepared for this rule" in applicants.definition["computed"]["facts"]
        # A new harmonisation rewrites origin_shares: the prepared facts are stale from then on.
        for part in sorted((mini_copy.derived_dir / "origin_shares").glob("*.parquet"))[:1]:
            stat = part.stat()
            os.utime(part, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert not fact_source(engine).prepared
        after = outbound(engine, spec)
        assert "stale" in after.definition["computed"]["facts"]
        assert after.rows == before.rows


def test_partitioned_prepare_equals_the_views(sample_warehouse: Warehouse, tmp_path) -> None:
    """Prepared in 3 hash partitions, each de-duplicated from the raw parts (``current_copy``):
    the same figures as the warehouse views, on samples where several sources describe one
    publication (EP XML and DOCDB)."""
    copy = Warehouse(tmp_path / "wh")
    shutil.copytree(sample_warehouse.root, copy.root)
    specs = indicator_set(("JP",), (2005, 2012)) | {
        "all": indicator_set((), None, base=None)["origin_office_year"].replace(scope="all", unit="families"),
        "field": OutboundSpec(scope="all", by=("office", "field")),
        "field_first": OutboundSpec(scope="all", by=("office", "field"), field_counting="first"),
    }
    with connect(copy) as engine:
        computed = outbound_set(engine, specs, use_prepared=False)
        report = prepare(engine, partitions=3)
        assert report.partitions == 3
        assert len(list((copy.derived_dir / "outbound_facts_first_applicant").glob("*.parquet"))) == 3
        prepared = outbound_set(engine, specs)
    # documents without an IPC symbol of known field count too, with field null (the prepared
    # facts give them the list [{null, 1.0}])
    assert any(r["field"] is None for r in computed["field"].rows)
    assert any(r["field"] is None for r in computed["field_first"].rows)
    for name in specs:
        assert prepared[name].rows == computed[name].rows, name


def test_prepare_reports_each_table_before_writing_it(sample_warehouse: Warehouse, tmp_path) -> None:
    """The steps `stats prepare` shows in its progress bar (name, done, total)."""
    copy = Warehouse(tmp_path / "wh")
    shutil.copytree(sample_warehouse.root, copy.root)
    steps: list[tuple[str, int, int]] = []
    with connect(copy) as engine:
        prepare(engine, progress=lambda name, done, total: steps.append((name, done, total)))
    assert steps == [
        ("outbound_fields", 0, 4), ("outbound_facts_first_applicant", 1, 4), ("outbound_facts_applicants", 2, 4),
        ("outbound_facts_inventors", 3, 4), ("done", 4, 4),
    ]


def test_prepare_on_a_read_only_warehouse_is_one_line_naming_the_file(mini_copy: Warehouse, monkeypatch) -> None:
    """Tests run as root, whom file modes do not stop: the read-only mount is simulated where
    Python writes into the warehouse (a real read-only bind mount gives the same line)."""
    import builtins
    import errno
    import io

    from typer.testing import CliRunner

    from patentreach.cli.main import app

    real_open = builtins.open

    def read_only_open(file, mode="r", *args, **kwargs):
        if str(file).startswith(str(mini_copy.root)) and any(flag in mode for flag in "wax+"):
            raise OSError(errno.EROFS, "Read-only file system", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", read_only_open)
    monkeypatch.setattr(io, "open", read_only_open)  # pathlib's write_text opens through io.open
    result = CliRunner(env={"COLUMNS": "300"}).invoke(app, ["stats", "prepare", "-w", str(mini_copy.root)])
    assert result.exit_code == 2, result.output
    (line,) = [text for text in result.output.splitlines() if text]  # the transient bar leaves a blank line
    assert line.startswith(f"error: {mini_copy.root}/")
    assert line.endswith(": cannot write the prepared facts (Read-only file system); "
                         "the warehouse is read-only, full or not yours")
