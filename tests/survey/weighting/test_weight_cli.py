"""``patentreach survey weight`` end to end on the demo's files: outputs, exit codes, one-line errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.survey.store import open_store
from patentreach.survey.weight_store import latest_weights

runner = CliRunner(env={"COLUMNS": "200"})


def _run(demo_dir: Path, *extra: str) -> object:
    return runner.invoke(
        app,
        [
            "survey",
            "weight",
            "--store",
            str(demo_dir / "survey.sqlite"),
            "--sample",
            str(demo_dir / "sample_enterprises.csv"),
            *extra,
        ],
    )


def _one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert "Traceback" not in result.output


def test_weight_writes_weights_designs_and_stores_the_runs(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "w" / "weights.csv"
    result = _run(
        demo_dir,
        "--frame",
        str(demo_dir / "frame.csv"),
        "--patent-sample",
        str(demo_dir / "sample_patents.csv"),
        "--rake",
        "sector,size,region",
        "--replicates",
        "bootstrap:20",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert "Kish design effect" in result.output and "rake on sector, size, region" in result.output
    weights = pd.read_csv(out, dtype={"enterprise_id": str})
    assert list(weights.columns[:6]) == [
        "enterprise_id",
        "stratum",
        "fpc",
        "design_weight",
        "nr_factor",
        "final_weight",
    ]
    assert [c for c in weights.columns if c.startswith("rep_")] == [f"rep_{i}" for i in range(1, 21)]
    frame = pd.read_csv(demo_dir / "frame.csv")
    for variable in ("sector", "size", "region"):
        totals = weights.groupby(f"frame_{variable}")["final_weight"].sum()
        np.testing.assert_allclose(totals.sort_index(), frame[variable].value_counts().sort_index(), atol=1e-6)
    design = yaml.safe_load((out.parent / "design.yaml").read_text(encoding="utf-8"))
    assert design["weights"] == "final_weight" and design["replicates"]["type"] == "bootstrap"
    patents = pd.read_csv(out.parent / "weights_patents.csv", dtype={"patent_id": str})
    assert list(patents.columns[:7]) == [
        "patent_id",
        "enterprise_id",
        "stratum",
        "design_weight",
        "nr_factor",
        "final_weight",
        "rep_1",
    ]
    patent_design = yaml.safe_load((out.parent / "design_patents.yaml").read_text(encoding="utf-8"))
    assert patent_design["ids"] == ["enterprise_id"]
    engine = open_store(demo_dir / "survey.sqlite")
    run = latest_weights(engine, "holder")
    engine.dispose()
    assert run is not None and len(run.weights) == len(weights)
    assert run.specification["files"]["frame"] == str(demo_dir / "frame.csv")
    assert run.specification["replicates"] == "bootstrap:20" and run.diagnostics["replicates"]["count"] == 20
    stored = run.weights.set_index("unit_key")["final_weight"]
    np.testing.assert_allclose(stored.loc[weights["enterprise_id"]], weights["final_weight"], rtol=1e-12)


def test_a_frame_without_a_margin_column_is_one_line(demo_dir: Path, tmp_path: Path) -> None:
    frame = pd.read_csv(demo_dir / "frame.csv", dtype=str).drop(columns=["region"])
    frame.to_csv(tmp_path / "frame.csv", index=False)
    result = _run(
        demo_dir,
        "--frame",
        str(tmp_path / "frame.csv"),
        "--calibrate",
        "sector,size,region",
        "--out",
        str(tmp_path / "weights.csv"),
    )
    _one_line_error(result, "sample_enterprises.csv", "the frame has no column 'region' for the calibration margin")
    assert not (tmp_path / "weights.csv").exists()


def test_a_sample_that_does_not_match_the_store_is_one_line(demo_dir: Path, tmp_path: Path) -> None:
    sample = pd.read_csv(demo_dir / "sample_enterprises.csv", dtype=str)
    other = sample.assign(enterprise_id="X" + sample["enterprise_id"])
    other.to_csv(tmp_path / "other_sample.csv", index=False)
    result = runner.invoke(
        app,
        [
            "survey",
            "weight",
            "--store",
            str(demo_dir / "survey.sqlite"),
            "--sample",
            str(tmp_path / "other_sample.csv"),
            "--out",
            str(tmp_path / "weights.csv"),
        ],
    )
    _one_line_error(
        result, "other_sample.csv", "holder responses in", "are not in this sample", "first: enterprise_id E"
    )


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--calibrate", "size", "--rake", "size", "--frame", "frame.csv"], "--calibrate and --rake are alternatives"),
        (["--rake", "size"], "need --frame"),
        (["--replicates", "brr"], "--replicates 'brr' is not one of jk1, jkn, bootstrap:R"),
        (["--replicates", "jk1"], "JK1 is for unstratified designs"),
        (["--classes", "stratum,,size"], "give column names separated by commas"),
        (["--classes", "colour"], "weighting-class column(s) colour not in the sample"),
        (["--max-factor", "0.5"], "the largest adjustment factor must be at least 1"),
        (["--replicates", "bootstrap:x"], "R must be a whole number of at least 2"),
    ],
)
def test_bad_options_are_one_line(demo_dir: Path, tmp_path: Path, args: list[str], fragment: str) -> None:
    args = [str(demo_dir / a) if a == "frame.csv" else a for a in args]
    _one_line_error(_run(demo_dir, *args, "--out", str(tmp_path / "weights.csv")), fragment)


def test_an_empty_store_is_one_line(demo_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "survey",
            "weight",
            "--store",
            str(tmp_path / "empty.sqlite"),
            "--sample",
            str(demo_dir / "sample_enterprises.csv"),
            "--out",
            str(tmp_path / "weights.csv"),
        ],
    )
    _one_line_error(result, "no holder responses are stored")


def test_a_frame_level_without_respondents_is_one_line(demo_dir: Path, tmp_path: Path) -> None:
    frame = pd.read_csv(demo_dir / "frame.csv", dtype=str)
    frame.loc[0, "sector"] = "collective"
    frame.to_csv(tmp_path / "frame.csv", index=False)
    result = _run(
        demo_dir, "--frame", str(tmp_path / "frame.csv"), "--rake", "sector", "--out", str(tmp_path / "weights.csv")
    )
    _one_line_error(result, "level 'collective' of 'sector' has a population count of 1 but no sample units")


def test_the_written_design_drives_survey_estimate(demo_dir: Path, tmp_path: Path) -> None:
    from patentreach.survey.store import load_responses

    out = tmp_path / "weights.csv"
    args = ["--frame", str(demo_dir / "frame.csv"), "--calibrate", "sector,size,region", "--out", str(out)]
    assert _run(demo_dir, *args).exit_code == 0
    design = yaml.safe_load((tmp_path / "design.yaml").read_text(encoding="utf-8"))
    assert design["weights"] == "nr_weight" and design["calibrate"][0]["method"] == "linear"
    assert (
        design["calibrate"][0]["population"]["frame_size"]
        == pd.read_csv(demo_dir / "frame.csv")["size"].value_counts().to_dict()
    )
    engine = open_store(demo_dir / "survey.sqlite")
    answers = load_responses(engine, "holder")
    engine.dispose()
    weights = pd.read_csv(out, dtype={"enterprise_id": str})
    answers.merge(weights, on="enterprise_id").to_csv(tmp_path / "analysis.csv", index=False)
    result = runner.invoke(
        app,
        [
            "survey",
            "estimate",
            str(tmp_path / "analysis.csv"),
            "--design",
            str(tmp_path / "design.yaml"),
            "--stat",
            "prop:exports=yes",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    from io import StringIO

    row = pd.read_csv(StringIO(result.output)).iloc[0]
    data = answers.merge(weights, on="enterprise_id")
    expected = data.loc[data["exports"] == "yes", "final_weight"].sum() / data["final_weight"].sum()
    assert row["estimate"] == pytest.approx(expected, rel=1e-9)
