"""``patentreach survey sample``: a frame CSV in, a sample CSV with its design out."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.survey.synthetic import make_frame

runner = CliRunner(env={"COLUMNS": "200"})


def test_sample_writes_the_design_columns_and_prints_the_allocation(tmp_path):
    make_frame(4000, seed=2).to_csv(tmp_path / "frame.csv", index=False)
    args = ["survey", "sample", str(tmp_path / "frame.csv"), "-n", "600", "--minimum", "5"]
    first = runner.invoke(app, [*args, "-o", str(tmp_path / "a.csv"), "--patents-per-enterprise", "2"])
    second = runner.invoke(app, [*args, "-o", str(tmp_path / "b.csv")])
    assert first.exit_code == 0 and second.exit_code == 0, first.output
    assert "neyman allocation of 600 among 16 strata (seed 2021)" in " ".join(first.output.split())
    a = pd.read_csv(tmp_path / "a.csv", dtype={"enterprise_id": str})
    b = pd.read_csv(tmp_path / "b.csv", dtype={"enterprise_id": str})
    assert a["enterprise_id"].tolist() == b["enterprise_id"].tolist()  # same seed, same sample
    assert {"stratum", "fpc", "n_h", "prob", "design_weight"} <= set(a.columns)
    assert (a["design_weight"] == a["fpc"] / a["n_h"]).all()
    patents = pd.read_csv(tmp_path / "a_patents.csv")
    assert patents.groupby("enterprise_id").size().max() == 2


def test_a_broken_frame_is_reported_with_its_rows(tmp_path):
    (tmp_path / "frame.csv").write_text(
        "enterprise_id,sector,size,region,industry,patents\nE000001,private,huge,east,other,1\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["survey", "sample", str(tmp_path / "frame.csv"), "-n", "1", "-o", "x"])
    assert result.exit_code == 2
    assert "size not one of" in result.output and "in rows 2" in result.output
