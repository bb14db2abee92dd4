"""The synthetic national survey demo: 60,000 enterprises, 15,000 sampled, realistic
non-response, weights, and the seed-style headline figures with confidence intervals."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from patentreach.survey.demo import run_survey_demo, survey_demo
from patentreach.survey.store import import_log, open_store


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("survey-demo")
    started = time.perf_counter()
    result = survey_demo(out, seed=2021)
    result.seconds = time.perf_counter() - started  # type: ignore[attr-defined]
    return result


def test_the_demo_has_the_national_survey_sizes(demo):
    assert len(demo.frame) == 60_000
    assert len(demo.sample) == 15_000
    assert demo.sample["stratum"].nunique() == 16
    # large enterprises hold many patents with a large spread: Neyman makes them take-all
    large = demo.sample[demo.sample["size"] == "large"]
    assert (large["n_h"] == large["fpc"]).all()
    response_rate = demo.enterprise_import.rows_in / len(demo.sample)
    assert 0.83 < response_rate < 0.87


def test_every_imported_row_is_accepted_or_rejected(demo):
    for result in (demo.enterprise_import, demo.patent_import):
        assert result.rows_in == len(result.accepted) + len(result.rejected)
    # 36 keyed-in mistakes and one questionnaire entered twice
    assert len(demo.enterprise_import.rejected) == 37
    rules = {i.rule for i in demo.enterprise_import.issues}
    assert rules == {"required", "type", "choice", "constraint", "relevance", "duplicate"}
    rejects = pd.read_csv(demo.files["rejects_enterprise"], dtype=str, keep_default_na=False)
    assert len(rejects) == 37 and rejects["_issues"].str.len().min() > 0


def test_the_store_holds_both_imports_and_they_balance(demo):
    log = import_log(open_store(demo.files["store"]))
    assert log["form_id"].tolist() == [
        "patentreach_enterprise_holder",
        "patentreach_enterprise_patent",
    ]
    assert log["balanced"].all()
    assert log["accepted"].tolist() == [len(demo.enterprises), len(demo.patents)]


def test_non_response_adjusted_weights_add_up_to_each_stratum_of_the_frame(demo):
    totals = demo.enterprises.groupby("stratum")["final_weight"].sum()
    frame_counts = demo.frame.groupby("stratum").size()
    assert totals.to_dict() == pytest.approx(frame_counts.astype(float).to_dict())
    assert demo.enterprises["final_weight"].sum() == pytest.approx(60_000)


def test_headline_estimates_equal_the_weighted_shares_in_their_domains(demo):
    by_key = demo.estimates.set_index("key")
    cases = {
        "bri_transfer": (demo.enterprises, "transferred_abroad", "bri_partner"),
        "self_innovation": (demo.enterprises, "import_difficulty", "self_innovation"),
        "export_unprotected_none": (demo.enterprises, "exporter", "export_unprotected"),
        "industrialisation": (demo.patents, "invention", "implemented"),
    }
    for key, (data, domain, variable) in cases.items():
        inside = data[data[domain] == "yes"]
        weights = inside["final_weight"].to_numpy(dtype=float)
        share = float(np.sum(weights * (inside[variable] == "yes").to_numpy()) / np.sum(weights))
        row = by_key.loc[key]
        assert row["estimate"] == pytest.approx(share, rel=1e-12), key
        assert row["n"] == len(inside)
        assert row["ci_lower"] < row["estimate"] < row["ci_upper"]


def test_seed_2021_reproduces_the_seed_style_headline_figures(demo):
    estimates = demo.estimates.set_index("key")["estimate"].round(4).to_dict()
    assert estimates == {
        "bri_transfer": 0.3988,  # published: 38%
        # among US/Europe licensing-in difficulty since form 2021.2 (0.8445 among "abroad" before)
        "self_innovation": 0.8412,  # published: 84.1%
        "export_unprotected_none": 0.6737,  # published: two-thirds
        "export_unprotected_any": 0.8327,
        "industrialisation": 0.4979,  # per patent; published 48.1% for enterprises (2022)
        "licence_rate": 0.0997,  # per patent; published 12.1% for all patentees (2022)
    }
    first, second, third, _, fourth, _ = demo.sentences
    assert first.startswith("39.9% (95% CI ")
    assert first.endswith(
        "of enterprises that transferred or licensed patents abroad did so to Belt and Road countries"
    )
    assert second.startswith("84.1% (95% CI ") and "increased investment in self-innovation" in second
    assert third.startswith("67.4% (95% CI ") and "did not obtain patent protection" in third
    assert fourth.startswith("49.8% (95% CI ") and "per patent" in fourth


def test_the_demo_writes_its_files_and_headlines(demo):
    for key in (
        "frame",
        "sample_enterprises",
        "sample_patents",
        "responses_enterprise",
        "responses_patent",
        "rejects_enterprise",
        "design_enterprise",
        "design_patent",
        "estimates",
        "headlines",
    ):
        assert demo.files[key].exists(), key
    text = demo.files["headlines"].read_text(encoding="utf-8")
    assert all(sentence in text for sentence in demo.sentences)


def test_run_survey_demo_returns_the_sentences_and_is_reproducible(tmp_path: Path, demo):
    small = survey_demo(tmp_path / "a", seed=7, frame_size=6_000, sample_size=1_500)
    again = survey_demo(tmp_path / "b", seed=7, frame_size=6_000, sample_size=1_500)
    assert small.sentences == again.sentences
    assert run_survey_demo.__annotations__["return"] in ("list[str]", list[str])
