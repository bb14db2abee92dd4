"""``patentreach survey import``: validate, keep rejects, store; rows in = accepted + rejected."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.survey.synthetic import holder_answers, make_frame, spoil

runner = CliRunner(env={"COLUMNS": "200"})


def test_import_reports_rows_rejects_and_stores_the_accepted(tmp_path):
    frame = make_frame(120, seed=4)
    frame.to_csv(tmp_path / "sample.csv", index=False)
    spoil(holder_answers(frame, seed=4), 3, seed=4).to_csv(tmp_path / "r.csv", index=False)
    store = tmp_path / "survey.sqlite"
    args = ["survey", "import", str(tmp_path / "r.csv"), "--sample", str(tmp_path / "sample.csv")]
    result = runner.invoke(app, [*args, "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "120 rows in = 117 accepted + 3 rejected (3 issues)" in result.output
    assert f"stored as import 1 in {store}" in result.output
    rejects = pd.read_csv(tmp_path / "r.rejects.csv", dtype=str)
    assert len(rejects) == 3
    again = runner.invoke(app, [*args, "--store", str(store)])
    assert again.exit_code == 2
    assert "117 units of form patentreach_enterprise_holder are already stored" in again.output
    strict = runner.invoke(app, [*args, "--strict"])
    assert strict.exit_code == 1


def test_a_file_with_foreign_columns_stops_with_the_reason(tmp_path):
    (tmp_path / "r.csv").write_text("enterprise_id,colour\nE000001,red\n", encoding="utf-8")
    result = runner.invoke(app, ["survey", "import", str(tmp_path / "r.csv")])
    assert result.exit_code == 2
    assert "columns ['colour'] are not fields of form" in result.output.replace("\n", "")
