"""``patentreach harmonize`` and ``patentreach entities search`` as a user runs them."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.warehouse import Warehouse
from patentreach.warehouse.ingest import ingest
from tests.conftest import shared_path

runner = CliRunner(env={"COLUMNS": "200"})


def test_harmonize_prints_the_report(harmonized_copy):
    result = runner.invoke(app, ["harmonize", "--warehouse", str(harmonized_copy.root)])
    assert result.exit_code == 0, result.output
    assert re.search(r"entities\s*│\s*163", result.output)
    assert re.search(r"entity ids kept / new / retired\s*│\s*163 / 0 / 0", result.output)
    assert re.search(r"first_applicant\s*│\s*other_applicant_same_entity\s*│\s*3", result.output)
    assert re.search(r"first_applicant\s*│\s*inventor\s*│\s*1", result.output)
    for name in ("entities", "party_entity", "origin_shares", "entity_variants"):
        assert (harmonized_copy.derived_dir / f"{name}.parquet").is_file()


def test_harmonize_rejects_an_unknown_engine_and_a_missing_warehouse(tmp_path):
    bad = runner.invoke(app, ["harmonize", "--warehouse", str(tmp_path / "none")])
    assert bad.exit_code == 2
    assert "no warehouse here" in bad.output
    engine = runner.invoke(app, ["harmonize", "--warehouse", str(tmp_path), "--engine", "oracle"])
    assert engine.exit_code == 2
    assert "unknown engine" in engine.output


def test_entities_search_shows_variants_and_publications(harmonized_copy):
    result = runner.invoke(
        app, ["entities", "search", "Robert Bosch GmbH", "--warehouse", str(harmonized_copy.root), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    decoder, text, sections = json.JSONDecoder(), result.output.strip(), []
    while text:
        section, end = decoder.raw_decode(text)
        sections.append(section)
        text = text[end:].strip()
    entities, variants, publications = sections
    assert entities[0]["name"] == "ROBERT BOSCH G.M.B.H." and entities[0]["match"] == "exact"
    assert {v["name"] for v in variants} == {"ROBERT BOSCH G.M.B.H."}
    assert [p["pub_id"] for p in publications] == ["DE-1258188-B", "DE-1258189-B"]


def test_entities_search_finds_close_spellings(harmonized_copy):
    result = runner.invoke(app, ["entities", "search", "Jaguar Land Rover", "--warehouse", str(harmonized_copy.root)])
    assert result.exit_code == 0, result.output
    assert "JAGUAR LAND ROVER LIMITED" in result.output
    assert "US-RE49258-E1" in result.output
    missing = runner.invoke(app, ["entities", "search", "Nonexistent Widgets", "-w", str(harmonized_copy.root)])
    assert missing.exit_code == 1


def test_entities_search_before_harmonize(tmp_path):
    ingest([shared_path("data", "uspto-grant-xml", "ipgb-biblio", "ipgb20230404.xml")], Warehouse(tmp_path / "wh"))
    result = runner.invoke(app, ["entities", "search", "anything", "--warehouse", str(tmp_path / "wh")])
    assert result.exit_code == 2
    assert "run `patentreach harmonize` first" in result.output

