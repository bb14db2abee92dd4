"""Inputs shared by the bulletin's tests.

``survey_files``: the survey as a team runs it (``tests/survey/test_whole_survey.py``), small: a
synthetic frame of 2,000 enterprises, a sample of 400, invitations, returned questionnaires
imported on paper, weights stored by ``survey weight``; and a copy of the store before weighting.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

SURVEY_SEED = 2023


def run_cli(*args: object) -> str:
    from patentreach.cli.main import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="session")
def survey_files(tmp_path_factory) -> dict[str, Path]:
    """A small survey's files and store, weights stored (holder and patent runs)."""
    import pandas as pd

    from patentreach.survey import synthetic
    from patentreach.survey.instrument.form import load_form

    root = tmp_path_factory.mktemp("bulletin-survey")
    store = root / "survey.sqlite"
    frame = synthetic.make_frame(2_000, SURVEY_SEED)
    frame.to_csv(root / "frame.csv", index=False)
    run_cli("survey", "sample", root / "frame.csv", "-n", "400", "-o", root / "sample.csv", "--minimum", "10",
            "--seed", SURVEY_SEED)
    run_cli("survey", "invite", "--sample", root / "sample.csv", "--form", "holder", "--store", store,
            "--out", root / "invitations.csv")
    sample = pd.read_csv(root / "sample.csv", dtype={"enterprise_id": str})
    answers = synthetic.holder_answers(sample[synthetic.respond(sample, SURVEY_SEED)], SURVEY_SEED,
                                       load_form("holder"))
    answers.to_csv(root / "returned.csv", index=False)
    run_cli("survey", "import", root / "returned.csv", "--form", "holder", "--sample", root / "sample.csv",
            "--store", store)
    unweighted = root / "unweighted.sqlite"
    shutil.copy(store, unweighted)
    run_cli("survey", "weight", "--store", store, "--sample", root / "sample.csv", "--frame", root / "frame.csv",
            "--out", root / "weights.csv")
    return {"root": root, "store": store, "unweighted": unweighted, "weights": root / "weights.csv"}
