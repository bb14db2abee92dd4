"""The survey and protection-gaps sections on a small survey run as a team runs it (conftest
``survey_files``): every figure equals ``headline_rows`` computed from the stored responses and the
weights file ``survey weight`` wrote (not the file the bulletin writes from the stored run), the
command beside the figures prints the same numbers, and a missing store or missing weights give
the notes that say what to do."""

from __future__ import annotations

import json
import math
import shlex
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.report.bulletin.context import BulletinContext
from patentreach.report.bulletin.model import Ref, Section, SectionUnavailable, Text
from patentreach.report.bulletin.request import BulletinRequest
from patentreach.report.bulletin.sections import gaps, methods, survey, survey_inputs
from patentreach.survey import fieldwork
from patentreach.survey.headlines import headline_rows, joined, load_indicators, read_weights
from patentreach.survey.store import load_responses, open_store
from patentreach.survey.weight_store import latest_weights
from patentreach.warehouse.layout import Warehouse

HOLDER_KEYS = ["bri_transfer", "self_innovation", "export_unprotected_none", "export_unprotected_any"]


def _context(tmp: Path, store: Path | None) -> BulletinContext:
    (tmp / "no-warehouse").mkdir(exist_ok=True)
    request = BulletinRequest(warehouse=tmp / "no-warehouse", survey=None if store is None else str(store),
                              out=tmp / "bulletin")
    return BulletinContext(request, Warehouse(tmp / "no-warehouse"))


@pytest.fixture(scope="module")
def built(survey_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Section]:
    with _context(tmp_path_factory.mktemp("survey-section"), survey_files["store"]) as ctx:
        sections: dict[str, Section] = {}
        sections["survey"] = survey.build(ctx, {}, sections)
        sections["gaps"] = gaps.build(ctx, {}, sections)
        sections["methods"] = methods.build(ctx, {}, sections)
        return sections


@pytest.fixture(scope="module")
def expected(survey_files: dict[str, Path]) -> pd.DataFrame:
    """headline_rows from the store's responses and the CSV `survey weight` wrote itself."""
    engine = open_store(survey_files["store"])
    responses = {"holder": load_responses(engine, "holder")}
    engine.dispose()
    data = joined(responses, {"holder": read_weights(survey_files["weights"], "holder")})
    return headline_rows(data, {}, load_indicators(), by=(None, "sector", "size"), keys=HOLDER_KEYS)


def _percent(value: float) -> float | None:
    return None if not math.isfinite(value) else value * 100


def _check(figures: dict[str, object], key: str, row: dict) -> None:
    figure = figures[key]
    for got, want in ((figure.value, row["estimate"]), (figure.low, row["ci_lower"]), (figure.high, row["ci_upper"])):
        assert got == (None if _percent(want) is None else pytest.approx(_percent(want), rel=1e-9, abs=1e-9)), key
    assert figures[f"{key}.low"].value == figure.low and figures[f"{key}.high"].value == figure.high


def test_every_survey_figure_equals_headline_rows(built: dict[str, Section], expected: pd.DataFrame) -> None:
    figures = {f.key: f for f in built["survey"].figures}
    checked = 0
    for row in expected.to_dict("records"):
        group = "all" if not isinstance(row["breakdown"], str) else row["group"]
        _check(figures, f"survey.{row['key']}.{group}", row)
        assert figures[f"survey.{row['key']}.{group}"].definition["n"] == row["n"]
        checked += 1
    assert checked == len(HOLDER_KEYS) * 9  # all, four holder types, four sizes
    assert figures["survey.bri_transfer.all"].unit == "percent"


def test_the_survey_command_prints_the_same_numbers(built: dict[str, Section]) -> None:
    figure = built["survey"].figure("survey.bri_transfer.all")
    args = shlex.split(figure.command)
    assert args[:3] == ["patentreach", "survey", "headlines"]
    result = CliRunner().invoke(app, args[1:])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    figures = {f.key: f for f in built["survey"].figures}
    for row in rows:
        group = "all" if row["breakdown"] is None else row["group"]
        _check(figures, f"survey.{row['key']}.{group}",
               {k: float("nan") if row[k] is None else row[k] for k in ("estimate", "ci_lower", "ci_upper")})
    assert {f.command for f in built["survey"].figures if f.key.startswith("survey.bri")} == {figure.command}


def test_the_headline_sentence_is_the_first_indicator_with_its_interval(built: dict[str, Section]) -> None:
    indicator = load_indicators().get("bri_transfer")
    headline = built["survey"].sentences[0]
    assert headline.msgid == ("%(estimate)s (%(level)s CI %(low)s–%(high)s) of enterprises that transferred or "
                              "licensed patents abroad did so to Belt and Road countries.")
    assert headline.msgid == survey.sentence_msgid(indicator)
    assert headline.params["estimate"] == Ref("survey.bri_transfer.all")
    assert headline.params["low"] == Ref("survey.bri_transfer.all.low") and headline.params["level"] == "95%"


def test_response_rates_are_the_fieldwork_library_s(built: dict[str, Section], survey_files: dict[str, Path]) -> None:
    engine = open_store(survey_files["store"])
    rates = fieldwork.response_rates(engine, "holder")
    engine.dispose()
    section = built["survey"]
    for rate in rates.to_dict("records"):
        assert section.figure(f"survey.response_rate.{rate['stratum']}").value == pytest.approx(
            rate["response_rate"] * 100)
    total = rates.iloc[-1]
    assert total["stratum"] == "all" and total["invited"] == 400
    table = next(t for t in section.tables if t.key == "survey.response_rates")
    assert [r["invited"] for r in table.rows] == list(rates["invited"])
    note = next(n for n in section.notes if n.msgid == survey.RATES_NOTE)
    assert note.params["rate"] == Ref("survey.response_rate.all") and note.params["invited"] == 400


def test_the_patent_indicators_are_said_to_be_left_out(built: dict[str, Section]) -> None:
    assert Text(survey.LEFT_OUT["patent"]) in built["survey"].notes
    assert not [f for f in built["survey"].figures if f.key.startswith(("survey.industrialisation", "survey.licence"))]


def test_gaps_are_the_survey_s_export_indicators_with_the_register_note(built: dict[str, Section]) -> None:
    section, figures = built["gaps"], {f.key: f for f in built["survey"].figures}
    for key in gaps.KEYS:
        got, same = section.figure(f"gaps.{key}"), figures[f"survey.{key}.all"]
        assert (got.value, got.low, got.high, got.command) == (same.value, same.low, same.high, same.command)
    assert section.sentences[0].params["estimate"] == Ref("gaps.export_unprotected_any")
    assert Text(gaps.REGISTER_NOTE) in section.notes


@pytest.mark.parametrize(("percent", "words"), [
    (66.0, "About two-thirds"), (68.6, "About two-thirds"), (64.0, None), (50.4, "About half"), (87.9, None),
    (None, None)])
def test_a_share_is_written_as_a_plain_fraction_only_within_the_tolerance(percent, words) -> None:
    assert gaps.fraction(percent, 2.0) == words


def test_no_store_gives_the_note(tmp_path: Path) -> None:
    with _context(tmp_path, None) as ctx:
        with pytest.raises(SectionUnavailable) as missing:
            survey.build(ctx, {}, {})
        assert missing.value.note == Text(survey_inputs.NO_STORE)
        with pytest.raises(SectionUnavailable) as gap:
            gaps.build(ctx, {}, {})
        assert gap.value.note == Text(gaps.NO_SURVEY, {"why": Text(survey_inputs.NO_STORE)})


def test_a_store_without_weights_says_what_to_run(tmp_path: Path, survey_files: dict[str, Path]) -> None:
    with _context(tmp_path, survey_files["unweighted"]) as ctx, pytest.raises(SectionUnavailable) as missing:
        survey.build(ctx, {}, {})
    assert missing.value.note == Text(survey_inputs.NO_WEIGHTS, {"store": str(survey_files["unweighted"])})
    assert "patentreach survey weight --store" in missing.value.note.msgid


def test_methods_describes_the_weight_run_and_lists_the_weights_file_s_sha256(
        built: dict[str, Section], survey_files: dict[str, Path]) -> None:
    import hashlib

    engine = open_store(survey_files["store"])
    run = latest_weights(engine, "holder")
    engine.dispose()
    annex = built["methods"]
    weighting = {row["measure"].msgid: row["value"] for row in next(
        t for t in annex.tables if t.key == "methods.weighting.holder").rows}
    assert weighting[methods.MEASURES["respondents"]] == run.diagnostics["respondents"]
    assert weighting[methods.MEASURES["kish_deff"]] == round(run.diagnostics["kish_deff"], 3)
    path = Path(built["survey"].figure("survey.bri_transfer.all").definition["weights_file"])
    provenance = next(t for t in annex.tables if t.key == "methods.provenance").rows
    assert [(r["input"], r["sha256"]) for r in provenance] == [
        (str(path), hashlib.sha256(path.read_bytes()).hexdigest())]
    design = next(s for s in annex.sentences if s.msgid == methods.SURVEY_DESIGN)
    assert design.params["run"] == str(run.run_id) and design.params["classes"] == "stratum"
    rules = {row["rule"] for row in next(t for t in annex.tables if t.key == "methods.rules").rows}
    assert any("numerator: count-selected(${bri_partners}) > 0" in rule for rule in rules)


def test_a_weight_run_whose_sample_file_is_gone_says_what_to_run(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from patentreach.survey.weight_store import WeightRun

    gone = tmp_path / "moved" / "sample.csv"
    run = WeightRun(7, "holder", datetime(2022, 1, 1, tzinfo=UTC), {"files": {"sample": str(gone)}}, {}, {},
                    pd.DataFrame({"unit_key": ["E1"], "final_weight": [2.0]}))
    with pytest.raises(SectionUnavailable) as missing:
        survey_inputs._weights_file(run, "holder", tmp_path / "inputs")
    assert missing.value.note.msgid == survey_inputs.NO_SAMPLE
    assert missing.value.note.params["run"] == "7" and missing.value.note.params["path"] == str(gone)


def test_a_store_that_does_not_exist_is_said_and_not_created(tmp_path: Path) -> None:
    missing_store = tmp_path / "typo.sqlite"
    with _context(tmp_path, missing_store) as ctx, pytest.raises(SectionUnavailable) as missing:
        survey.build(ctx, {}, {})
    assert missing.value.note == Text(survey_inputs.NO_SUCH_STORE, {"store": str(missing_store)})
    assert not missing_store.exists()
