"""weight_survey and weight_patents on ``survey demo``'s frame, samples and stored responses."""

from __future__ import annotations

import numpy as np
import pytest

from patentreach.survey.design import load_design
from patentreach.survey.estimate import estimate
from patentreach.survey.store import open_store
from patentreach.survey.survey_design import SurveyDesign
from patentreach.survey.weight_store import latest_weights, save_weights
from patentreach.survey.weighting import weight_patents, weight_survey

MARGINS = ("sector", "size", "region")


@pytest.fixture(scope="module")
def plain(demo_files):
    """Design weight x class adjustment within strata, no calibration (what the demo does)."""
    return weight_survey(demo_files["sample"], demo_files["holder_answers"], demo_files["frame"])


@pytest.fixture(scope="module")
def raked(demo_files):
    return weight_survey(
        demo_files["sample"],
        demo_files["holder_answers"],
        demo_files["frame"],
        calibrate=MARGINS,
        method="raking",
        replicates="bootstrap:30",
    )


def test_weights_add_up_to_the_frame_per_stratum(plain, demo_files) -> None:
    frame_counts = demo_files["frame"].groupby("stratum").size()
    sums = plain.weights.groupby("stratum")["final_weight"].sum()
    assert len(sums) == 16
    np.testing.assert_allclose(sums.loc[frame_counts.index], frame_counts, rtol=1e-12)
    assert plain.diagnostics.sum_weights == pytest.approx(6000, rel=1e-12)
    assert plain.diagnostics.frame_total == 6000
    assert plain.diagnostics.collapsed == []


def test_the_demo_own_weights_are_reproduced(plain, demo_files) -> None:
    # the demo weights with weights.nonresponse_adjust on the accepted ids: an independent path
    theirs = demo_files["analysis_enterprises"].set_index("enterprise_id")["final_weight"]
    ours = plain.weights.set_index("enterprise_id")["final_weight"]
    assert len(ours) == len(theirs) == len(demo_files["holder_answers"])
    np.testing.assert_allclose(ours.loc[theirs.index], theirs, rtol=1e-12)


def test_raking_meets_every_frame_margin(raked, demo_files) -> None:
    frame, weights = demo_files["frame"], raked.weights
    for variable in MARGINS:
        totals = weights.groupby(f"frame_{variable}")["final_weight"].sum()
        counts = frame[variable].value_counts()
        np.testing.assert_allclose(totals.loc[counts.index], counts, atol=1e-6)
        # every replicate is raked too
        reps = weights.groupby(f"frame_{variable}")[raked.replicate_columns].sum()
        np.testing.assert_allclose(
            reps.loc[counts.index].to_numpy(), counts.to_numpy()[:, None] * np.ones((1, reps.shape[1])), atol=1e-6
        )
    assert raked.diagnostics.calibration["method"] == "rake"


def test_linear_calibration_meets_every_frame_margin(demo_files) -> None:
    result = weight_survey(demo_files["sample"], demo_files["holder_answers"], demo_files["frame"], calibrate=MARGINS)
    for variable in MARGINS:
        totals = result.weights.groupby(f"frame_{variable}")["final_weight"].sum()
        counts = demo_files["frame"][variable].value_counts()
        np.testing.assert_allclose(totals.loc[counts.index], counts, atol=1e-6)
    rebuilt = SurveyDesign.build(result.weights, load_design(result.design))
    np.testing.assert_allclose(rebuilt.weights, result.weights["final_weight"], rtol=1e-12)


def test_kish_design_effect_and_range(raked) -> None:
    w = raked.weights["final_weight"].to_numpy()
    assert raked.diagnostics.kish_deff == pytest.approx(1 + np.var(w) / np.mean(w) ** 2, rel=1e-12)
    assert raked.diagnostics.kish_deff == pytest.approx(len(w) * np.sum(w**2) / np.sum(w) ** 2, rel=1e-12)
    assert raked.diagnostics.minimum == w.min() and raked.diagnostics.maximum == w.max()
    assert raked.diagnostics.ratio == pytest.approx(w.max() / w.min())


def test_patents_carry_the_holder_weight_times_m_over_m_then_the_adjustment(plain, demo_files) -> None:
    patents = weight_patents(demo_files["patent_sample"], demo_files["patent_answers"], plain, demo_files["frame"])
    theirs = demo_files["analysis_patents"].set_index("patent_id")
    ours = patents.weights.set_index("patent_id")
    assert len(ours) == len(theirs)
    np.testing.assert_allclose(ours.loc[theirs.index, "final_weight"], theirs["final_weight"], rtol=1e-12)
    # respondents stand for all in-scope patents of their stratum
    in_scope = patents.units
    np.testing.assert_allclose(
        patents.weights.groupby("stratum")["final_weight"].sum(),
        in_scope.groupby("stratum")["design_weight"].sum(),
        rtol=1e-12,
    )
    assert patents.design == {"ids": ["enterprise_id"], "strata": "stratum", "weights": "final_weight"}
    assert any("patents_<patent_type>" in note for note in patents.diagnostics.notes)


def test_patents_are_calibrated_to_counts_by_type_when_the_frame_has_them(plain, demo_files) -> None:
    frame = demo_files["frame"].assign(patents_invention=100, patents_utility_model=200, patents_design=50)
    patents = weight_patents(demo_files["patent_sample"], demo_files["patent_answers"], plain, frame)
    totals = patents.weights.groupby("frame_patent_type")["final_weight"].sum()
    assert totals.to_dict() == pytest.approx({"invention": 600_000, "utility_model": 1_200_000, "design": 300_000})


def test_replicate_designs_estimate_and_patents_follow_the_holder_replicates(raked, demo_files) -> None:
    answers = demo_files["holder_answers"][["enterprise_id", "exports"]]
    data = raked.weights.merge(answers, on="enterprise_id")
    row = estimate(data, raked.design, ["prop:exports=yes"]).iloc[0]
    w, yes = data["final_weight"], data["exports"] == "yes"
    assert row["estimate"] == pytest.approx(w[yes].sum() / w.sum(), rel=1e-12)
    assert row["se"] > 0
    patents = weight_patents(demo_files["patent_sample"], demo_files["patent_answers"], raked)
    assert patents.replicate_columns == raked.replicate_columns
    assert patents.design["replicates"]["type"] == "bootstrap"
    assert patents.design["ids"] == ["enterprise_id"]


def test_weights_are_stored_with_the_responses(plain, raked, demo_dir) -> None:
    engine = open_store(f"sqlite:///{demo_dir / 'weights-store.sqlite'}")
    assert latest_weights(engine, "holder") is None
    first = save_weights(engine, "holder", plain)
    second = save_weights(engine, "holder", raked)
    assert second > first
    run = latest_weights(engine, "holder")
    assert run is not None and run.run_id == second
    assert run.specification["calibrate"] == list(MARGINS)
    assert run.diagnostics["kish_deff"] == pytest.approx(raked.diagnostics.kish_deff)
    stored = run.weights.set_index("unit_key")
    expected = raked.weights.set_index("enterprise_id")
    np.testing.assert_allclose(stored.loc[expected.index, "final_weight"], expected["final_weight"], rtol=1e-15)
    np.testing.assert_allclose(
        stored.loc[expected.index, raked.replicate_columns], expected[raked.replicate_columns], rtol=1e-15
    )
    assert run.design == raked.design
    engine.dispose()


def test_patents_of_enterprises_outside_the_holder_sample_are_refused(plain, demo_files) -> None:
    patents = demo_files["patent_sample"].copy()
    patents.loc[0, "enterprise_id"] = "E999999"
    with pytest.raises(
        ValueError, match="1 patent\\(s\\) belong to enterprises not in the holder sample \\(first: E999999\\)"
    ):
        weight_patents(patents, demo_files["patent_answers"], plain)
