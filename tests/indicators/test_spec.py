"""The spec: validation, serialisation, the definition every result carries, and its docs."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from patentreach.indicators import Cell, OutboundSpec, SpecError, outbound
from patentreach.indicators import spec as spec_module
from patentreach.indicators.spec import parse_offices, parse_sectors, parse_years

DOCS = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"
PACKAGE = Path(__file__).resolve().parents[2] / "patentreach" / "indicators"


def test_round_trip_and_hashable() -> None:
    spec = OutboundSpec(origin=("CN",), years=(2019, 2021), offices=("major_offices", "US"), sector=("company",),
                        by=("office", "year", "entity"), top=10, counting="fractional", unit="families")
    data = json.loads(json.dumps(spec.to_dict()))
    assert OutboundSpec.from_dict(data) == spec
    assert hash(spec) == hash(OutboundSpec.from_dict(data))
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.unit = "documents"  # type: ignore[misc]


@pytest.mark.parametrize(
    "changes",
    [{"unit": "patents"}, {"counting": "half"}, {"basis": "expiry"}, {"origin_rule": "owner"}, {"scope": "away"},
     {"by": ("office", "office")}, {"by": ("colour",)}, {"top": 5}, {"years": (2021, 2019)}, {"origin": ("cn",)},
     {"types": ()}, {"types": ("plant",)}],
)
def test_rejects_unknown_values(changes) -> None:
    with pytest.raises(SpecError):
        OutboundSpec(**changes)


def test_command_line_forms() -> None:
    assert parse_years("2019-2021") == (2019, 2021) and parse_years("2021") == (2021, 2021)
    assert parse_years(None) is None
    assert parse_offices("major, US,ep,ip5") == ("major_offices", "US", "EP", "ip5")
    assert parse_sectors("enterprise") == ("company",)
    assert Cell.parse(["office=US", "year=2021", "field=6"]).keys == {"office": "US", "year": 2021, "field": 6}
    with pytest.raises(SpecError):
        Cell.parse(["colour=red"])


def test_label_says_what_is_counted() -> None:
    label = OutboundSpec(origin=("CN",), years=(2021, 2021), sector=("company",), unit="families").label()
    for word in ("CN", "company", "invention", "abroad", "2021", "families", "whole", "first applicant", "grant"):
        assert word in label


def test_definition_is_complete(sample_engine) -> None:
    spec = OutboundSpec(origin=("JP",), by=("office", "year", "field"), counting="fractional")
    definition = outbound(sample_engine, spec).definition
    for f in dataclasses.fields(OutboundSpec):
        assert f.name in definition, f.name
        value = getattr(spec, f.name)
        assert definition[f.name] == (list(value) if isinstance(value, tuple) else value)
    assert definition["label"] == spec.label()
    assert definition["doc_types"] == ["invention_grant"]
    for switch in ("origin_rule", "counting", "basis", "unit", "stage", "scope", "types", "field_counting"):
        assert definition["meaning"][switch]
    assert {"by.office", "by.year", "by.field"} <= set(definition["meaning"])
    assert definition["computed"]["engine"] == "duckdb" and definition["computed"]["facts"]
    json.dumps(definition)  # JSON-ready


def test_docs_name_every_switch_and_value() -> None:
    text = DOCS.read_text(encoding="utf-8")
    names = [f.name for f in dataclasses.fields(OutboundSpec)]
    values = [*spec_module.ORIGIN_RULES, *spec_module.COUNTINGS, *spec_module.BASES, *spec_module.UNITS,
              *spec_module.STAGES, *spec_module.TYPES, *spec_module.SCOPES, *spec_module.BREAKDOWNS,
              *spec_module.FIELD_COUNTINGS]
    missing = [n for n in [*names, *values] if f"`{n}`" not in text]
    assert not missing, f"docs/indicators.md does not mention {missing}"


def test_docs_name_every_command_option() -> None:
    from typer.testing import CliRunner

    from patentreach.cli.main import app

    text = DOCS.read_text(encoding="utf-8")
    for command in ("outbound", "records", "prepare"):
        help_text = CliRunner().invoke(app, ["stats", command, "--help"], env={"COLUMNS": "200"}).output
        options = set(re.findall(r"(--[a-z][a-z-]+)", help_text)) - {"--help", "--no-prepared"}
        missing = sorted(o for o in options if o not in text)
        assert not missing, f"docs/indicators.md does not mention stats {command} {missing}"


def test_indicators_import_no_engine() -> None:
    """Indicator code is engine-free: importing it loads neither DuckDB nor PySpark."""
    code = "import sys, patentreach.indicators; print('duckdb' in sys.modules, 'pyspark' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
    for path in PACKAGE.rglob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+(duckdb|pyspark)", path.read_text(), re.M), path
