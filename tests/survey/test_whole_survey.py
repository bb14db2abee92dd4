"""The whole survey, as a survey team runs it, on a real-shaped frame (enterprises identified by
unified social credit codes): sample, invite, a few hundred questionnaires answered through the
web form over HTTP, the rest returned on paper and imported, weights, headline figures. The
figures are checked against an independent computation from the answers as generated (not read
back from the store): weights N_h / r_h per stratum (design weight times the weighting-class
non-response factor, classes = strata) and weighted shares counted with pandas."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.survey import synthetic
from patentreach.survey.enterprise_ids import IdRule
from patentreach.survey.instrument.form import load_form
from patentreach.warehouse.layout import Warehouse
from patentreach.web.app import create_app
from patentreach.web.config import ServeConfig
from tests.web.survey.walk import answer_through_web

SEED = 2022
FRAME_SIZE = 3_000
SAMPLE_SIZE = 400
ON_THE_WEB = 100
HOLDER = load_form("holder")
runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def fieldwork(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root: Path = tmp_path_factory.mktemp("whole-survey")
    store = str(root / "survey.sqlite")
    frame = synthetic.make_frame(FRAME_SIZE, SEED, id_style="uscc")
    frame.to_csv(root / "frame.csv", index=False)
    _run("survey", "sample", str(root / "frame.csv"), "-n", str(SAMPLE_SIZE), "-o", str(root / "sample.csv"),
         "--minimum", "10", "--seed", str(SEED))
    _run("survey", "invite", "--sample", str(root / "sample.csv"), "--form", "holder", "--store", store,
         "--out", str(root / "invitations.csv"))
    sample = pd.read_csv(root / "sample.csv", dtype={"enterprise_id": str})
    invitations = pd.read_csv(root / "invitations.csv", dtype=str, keep_default_na=False)
    tokens = dict(zip(invitations["enterprise_id"], invitations["token"], strict=True))

    responded = synthetic.respond(sample, SEED)
    answers = synthetic.holder_answers(sample[responded], SEED, HOLDER).reset_index(drop=True)
    web, paper = answers.iloc[:ON_THE_WEB], answers.iloc[ON_THE_WEB:]

    config = ServeConfig(warehouse=Warehouse(root / "no-warehouse"), state_dir=root / "state",
                         rate_limit_per_minute=0, survey_store=store)
    with TestClient(create_app(config), base_url="http://testserver") as client:
        statuses = [answer_through_web(client, tokens[row["enterprise_id"]], row, one_post=True).status_code
                    for row in web.to_dict("records")]
        again = answer_through_web(client, tokens[web["enterprise_id"].iloc[0]], web.iloc[0].to_dict(), one_post=True)

    paper.to_csv(root / "returned.csv", index=False)
    _run("survey", "import", str(root / "returned.csv"), "--form", "holder", "--sample", str(root / "sample.csv"),
         "--store", store, "--strict")
    status = json.loads(_run("survey", "status", "--store", store, "--form", "holder", "--format", "json"))
    _run("survey", "weight", "--store", store, "--sample", str(root / "sample.csv"), "--frame", str(root / "frame.csv"),
         "--out", str(root / "weights.csv"))
    headlines = json.loads(_run("survey", "headlines", "--store", store, "--weights", str(root / "weights.csv"),
                                "--by", "sector,size", "--format", "json"))
    return {"root": root, "frame": frame, "sample": sample, "answers": answers, "statuses": statuses,
            "again": again.status_code, "status": status, "headlines": headlines}


def _rows(document: object) -> list[dict[str, object]]:
    """The table rows of a ``--format json`` document (a list, or an object holding one)."""
    if isinstance(document, list):
        return document  # type: ignore[return-value]
    assert isinstance(document, dict)
    for key in ("strata", "rows", "estimates"):
        if isinstance(document.get(key), list):
            return document[key]
    raise AssertionError(f"no rows in {list(document)}")


def test_the_frame_is_identified_by_valid_unified_social_credit_codes(fieldwork):
    ids = fieldwork["sample"]["enterprise_id"]
    assert ids.str.len().eq(18).all()
    assert not any(IdRule("uscc").check(ids.tolist()))


def test_every_web_answer_is_accepted_once_and_a_second_submission_is_refused(fieldwork):
    assert fieldwork["statuses"] == [303] * ON_THE_WEB
    assert fieldwork["again"] == 409


def test_response_rates_count_web_and_paper_returns_once_each(fieldwork):
    rows = _rows(fieldwork["status"])
    overall = next(r for r in rows if r["stratum"] == "all")
    answered = len(fieldwork["answers"])
    assert (overall["invited"], overall["complete"], overall["web"], overall["paper"]) == (
        SAMPLE_SIZE, answered, ON_THE_WEB, answered - ON_THE_WEB)
    assert overall["response_rate"] == pytest.approx(answered / SAMPLE_SIZE, abs=1e-12)


def _independent_weights(fieldwork) -> pd.Series:
    """N_h / r_h for each respondent, from the frame's and the answers' own counts."""
    sample, answers = fieldwork["sample"], fieldwork["answers"]
    stratum = sample.set_index("enterprise_id")["stratum"]
    population = sample.groupby("stratum")["fpc"].first()
    respondents = answers["enterprise_id"].map(stratum)
    return respondents.map(population / respondents.value_counts()).set_axis(answers.index)


def test_the_weights_add_up_to_the_frame_in_every_stratum(fieldwork):
    weights = pd.read_csv(fieldwork["root"] / "weights.csv", dtype={"enterprise_id": str})
    mine = _independent_weights(fieldwork).set_axis(fieldwork["answers"]["enterprise_id"])
    assert len(weights) == len(fieldwork["answers"])
    np.testing.assert_allclose(weights.set_index("enterprise_id")["final_weight"].loc[mine.index], mine, rtol=1e-12)
    assert weights["final_weight"].sum() == pytest.approx(FRAME_SIZE, rel=1e-12)


def _share(answers: pd.DataFrame, weights: pd.Series, among: pd.Series, numerator: pd.Series) -> float:
    return float((weights * numerator)[among].sum() / weights[among].sum())


def test_headline_figures_equal_an_independent_weighted_count(fieldwork):
    answers, weights = fieldwork["answers"], _independent_weights(fieldwork)
    belt_and_road = {c for c, flag in HOLDER.choice_attribute("country", "belt_and_road").items() if flag == "yes"}
    chose = answers["difficulty_response"].fillna("").str.split()
    partners = answers["transfer_out_countries"].fillna("").str.split()
    expected = {
        "bri_transfer": _share(answers, weights, answers["transfer_out_abroad"] == "yes",
                               partners.map(lambda cs: any(c in belt_and_road for c in cs))),
        "self_innovation": _share(answers, weights, answers["difficulty_us_europe"] == "yes",
                                  chose.map(lambda cs: "self_innovation" in cs)),
        "export_unprotected_none": _share(answers, weights, answers["exports"] == "yes",
                                          answers["export_protection"] == "none"),
        "export_unprotected_any": _share(answers, weights, answers["exports"] == "yes",
                                         answers["export_protection"].isin(["none", "some"])),
    }
    rows = _rows(fieldwork["headlines"])
    overall = {r["key"]: r for r in rows if r["breakdown"] is None}
    for key, value in expected.items():
        assert overall[key]["estimate"] == pytest.approx(value, rel=1e-8), key
        assert overall[key]["ci_lower"] < value < overall[key]["ci_upper"], key
    # and by holder type: the private enterprises' share, counted the same way
    private = answers["enterprise_id"].map(fieldwork["sample"].set_index("enterprise_id")["sector"]) == "private"
    exporters = answers["exports"] == "yes"
    by_sector = [r for r in rows if r["key"] == "export_unprotected_none" and r.get("breakdown") == "sector"
                 and r.get("group") == "private"]
    assert len(by_sector) == 1
    assert by_sector[0]["estimate"] == pytest.approx(
        _share(answers, weights, exporters & private, answers["export_protection"] == "none"), rel=1e-8)
