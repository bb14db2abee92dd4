"""Designs beyond the reference set: two-stage samples, stratified cluster samples, lonely PSUs,
missing values, probabilities and sampling fractions, BRR/Fay, bounded calibration.

Expected values were computed with R 4.2.2 and survey 4.1-1 on the same data built the same way
(the data are derived here from the shared API samples); 'adjust' for lonely PSUs follows survey
4.5 (which changed it for totals) and is checked against its formula instead.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from patentreach.survey.design import load_design
from patentreach.survey.estimate import estimate
from patentreach.survey.linearisation import LonelyPSUError
from patentreach.survey.survey_design import SurveyDesign
from tests.conftest import shared_path

REL = 1e-9
POP_TYPES = {"E": 4421, "H": 755, "M": 1018}


def api(name: str) -> pd.DataFrame:
    return pd.read_csv(shared_path("reference", "survey", "data", f"{name}.csv"), dtype={"cds": str})


def two_stage() -> pd.DataFrame:
    """apiclus1's 15 districts, then within each district every other school by snum (and the
    second), with N2 the district's school count: a two-stage sample with fpc at both stages."""
    clus = api("apiclus1")
    clus["N2"] = clus.groupby("dnum")["snum"].transform("size")
    rank = clus.sort_values("snum").groupby("dnum").cumcount().reindex(clus.index)
    two = clus[(rank % 2 == 0) | (rank == 1)].copy()
    two["n2"] = two.groupby("dnum")["snum"].transform("size")
    two["fpc1"] = 757
    two["w"] = 757 / 15 * two["N2"] / two["n2"]
    return two.reset_index(drop=True)


def strat_with_gaps() -> pd.DataFrame:
    """apistrat with item non-response planted by school number, probabilities and fractions."""
    strat = api("apistrat")
    strat.loc[strat["snum"] % 5 == 0, "enroll"] = np.nan
    strat.loc[strat["snum"] % 7 == 0, "sch.wide"] = np.nan
    strat.loc[strat["snum"] % 11 == 0, "api.stu"] = np.nan
    strat.loc[strat["snum"] % 13 == 0, "ell"] = np.nan
    strat["prob"] = 1 / strat["pw"]
    strat["frac"] = strat.groupby("stype")["snum"].transform("size") / strat["fpc"]
    return strat


def row(table: pd.DataFrame, i: int = 0) -> pd.Series:
    return table.iloc[i]


def close(value: float, expected: float) -> bool:
    return abs(value - expected) <= REL * abs(expected)


# --- two-stage ---------------------------------------------------------------------------


def test_two_stage_design_with_fpc_at_both_stages_adds_the_second_stage_variance() -> None:
    design = load_design({"ids": ["dnum", "snum"], "fpc": ["fpc1", "N2"]})
    table = estimate(two_stage(), design, ["mean:api00", "total:enroll", "ratio:api.stu/enroll"])
    mean, total, ratio = (row(table, i) for i in range(3))
    assert close(mean.estimate, 641.61085306618099)
    assert close(mean.se, 22.490375736450066)
    assert close(mean.deff, 5.0772924253184009)
    assert close(total.estimate, 5314682.3965079365)
    assert close(total.se, 1484093.1782592558)
    assert close(ratio.estimate, 0.84649436058253069)
    assert close(ratio.se, 0.0053717889201386369)
    survey = SurveyDesign.build(two_stage(), design)
    assert survey.degf() == 14
    assert close(survey.weights.sum(), 9235.4)


def test_two_stage_weights_come_from_the_fpc_when_not_given() -> None:
    data = two_stage()
    survey = SurveyDesign.build(data, load_design({"ids": ["dnum", "snum"], "fpc": ["fpc1", "N2"]}))
    np.testing.assert_allclose(survey.weights, data["w"], rtol=1e-14)


def test_second_stage_without_population_is_with_replacement() -> None:
    data = two_stage()
    data = data[data["dnum"] != 413].assign(f1=15 / 757, f2=0.0)
    design = load_design({"ids": ["dnum", "snum"], "fpc": ["f1", "f2"], "weights": "w"})
    assert close(row(estimate(data, design, ["mean:api00"])).se, 22.712320948440627)


def test_without_fpc_only_the_first_stage_counts() -> None:
    design = load_design({"ids": ["dnum", "snum"], "weights": "w"})
    assert close(row(estimate(two_stage(), design, ["mean:api00"])).se, 22.704332601219878)


def test_a_second_stage_unit_alone_in_its_cluster_fails_by_default() -> None:
    data = two_stage().assign(f1=15 / 757, f2=0.0)
    design = load_design({"ids": ["dnum", "snum"], "fpc": ["f1", "f2"], "weights": "w"})
    with pytest.raises(LonelyPSUError, match="only one PSU at stage 2"):
        estimate(data, design, ["mean:api00"])


def test_two_stage_post_stratified_and_by_domain() -> None:
    design = {"ids": ["dnum", "snum"], "fpc": ["fpc1", "N2"]}
    post = {**design, "calibrate": [{"method": "poststratify", "population": {"stype": POP_TYPES}}]}
    mean = row(estimate(two_stage(), load_design(post), ["mean:api00"]))
    assert close(mean.estimate, 638.935410826362840)
    assert close(mean.se, 22.537289403451343)
    by = estimate(two_stage(), load_design(design), ["mean:api00"], by="stype")
    assert list(by["domain"]) == ["E", "H", "M"]
    for got, want in zip(by["estimate"], [651.659074583309916, 608.931436407267825, 605.931170371503981], strict=True):
        assert close(got, want)
    for got, want in zip(by["se"], [20.421804313674144, 35.450324168803036, 35.079288125904881], strict=True):
        assert close(got, want)


# --- stratified cluster sample -----------------------------------------------------------

STRAT_CLUSTER = {"ids": ["dnum"], "strata": "stype", "weights": "pw", "nest": True}


def test_stratified_cluster_sample_with_nested_ids() -> None:
    table = estimate(api("apistrat"), load_design(STRAT_CLUSTER), ["mean:api00"])
    assert close(row(table).estimate, 662.28736315932076)
    assert close(row(table).se, 11.189632207927863)
    assert close(row(table).deff, 1.7034976877105317)
    assert row(table).df == 159


def test_generated_stratified_jackknife_on_a_cluster_sample() -> None:
    design = load_design({**STRAT_CLUSTER, "replicates": {"type": "JKn", "generate": {}}})
    table = estimate(api("apistrat"), design, ["mean:api00", "prop:sch.wide=Yes:method=logit"])
    assert close(row(table).se, 11.332142614718448)
    assert close(row(table).deff, 1.7471652668785973)
    assert row(table).df == 159
    prop = row(table, 1)
    assert close(prop.estimate, 0.82794801100195747)
    assert close(prop.ci_lower, 0.76303298731652924)
    assert close(prop.ci_upper, 0.87792515687919326)


def test_clusters_repeated_across_strata_need_nest() -> None:
    with pytest.raises(ValueError, match="nest: true"):
        SurveyDesign.build(api("apistrat"), load_design({**STRAT_CLUSTER, "nest": False}))


# --- lonely PSUs -------------------------------------------------------------------------

LONELY = {"ids": ["dnum"], "strata": "cname", "weights": "pw", "nest": True}


def test_a_stratum_with_one_psu_fails_with_its_name_and_the_option() -> None:
    with pytest.raises(LonelyPSUError) as caught:
        estimate(api("apistrat"), load_design(LONELY), ["mean:api00"])
    message = str(caught.value)
    assert "stratum Amador has only one PSU at stage 1" in message
    assert "lonely_psu" in message and "certainty" in message and "average" in message


@pytest.mark.parametrize(
    ("option", "mean_se", "total_se", "unclustered_se"),
    [
        ("certainty", 12.292313821899697, 420938.29391236848, 8.9253823461979067),
        ("remove", 12.292313821899697, 420938.29391236848, 8.9253823461979067),
        ("average", 15.869308906190923, 543429.00070118858, 10.863629434157728),
        ("adjust", 12.52744680457071, None, 9.0267056827731711),
    ],
)
def test_lonely_psu_options_match_r(option, mean_se, total_se, unclustered_se) -> None:
    strat = api("apistrat")
    table = estimate(strat, load_design({**LONELY, "lonely_psu": option}), ["mean:api00", "total:enroll"])
    assert close(row(table).se, mean_se)
    if total_se is not None:
        assert close(row(table, 1).se, total_se)
    flat = load_design({"strata": "cname", "weights": "pw", "lonely_psu": option})
    assert close(row(estimate(strat, flat, ["mean:api00"])).se, unclustered_se)


def test_adjust_centres_a_lonely_psu_at_the_grand_mean_of_psu_totals() -> None:
    """survey 4.5: a singleton stratum contributes (t_psu - sum(t)/n_psu)^2."""
    data = pd.DataFrame({"s": [1, 1, 2, 3, 3, 3], "y": [1.0, 2.0, 10.0, 3.0, 4.0, 8.0], "w": [2.0] * 6})
    table = estimate(data, load_design({"strata": "s", "weights": "w", "lonely_psu": "adjust"}), ["total:y"])
    t = data["y"] * data["w"]
    grand = t.sum() / 6
    var = 2 * ((t[:2] - t[:2].mean()) ** 2).sum() + (t[2] - grand) ** 2
    var += 1.5 * ((t[3:] - t[3:].mean()) ** 2).sum()
    assert close(row(table).se, float(np.sqrt(var)))


def test_a_completely_sampled_stratum_is_never_lonely() -> None:
    data = pd.DataFrame({"s": [1, 2, 2], "y": [5.0, 1.0, 3.0], "N": [1, 10, 10]})
    table = estimate(data, load_design({"strata": "s", "fpc": ["N"]}), ["total:y"])
    assert close(row(table).estimate, 5 + 5 * 4)
    # stratum 2: f = 0.8, totals 5 and 15 about 10, scale n/(n-1) = 2: 0.8 * 2 * 50 = 80
    assert close(row(table).se ** 2, 80.0)


# --- missing values, probabilities, sampling fractions -----------------------------------

GAPS = {"strata": "stype", "probs": ["prob"], "fpc": ["frac"]}


def test_missing_values_drop_units_from_that_statistic_only() -> None:
    data = strat_with_gaps()
    table = estimate(data, load_design(GAPS), ["mean:enroll", "total:enroll", "ratio:api.stu/enroll", "mean:api00"])
    mean, total, ratio, complete = (row(table, i) for i in range(4))
    assert (mean.n, mean.n_missing) == (161, 39)
    assert close(mean.estimate, 617.50056560448229)
    assert close(mean.se, 23.762392927145488)
    assert close(mean.deff, 0.43730086327175133)
    assert close(total.estimate, 3003757.3843078627)
    assert close(total.se, 147199.98340419892)
    assert close(total.deff, 0.70918661030557484)
    assert close(ratio.estimate, 0.82855629681261489)
    assert close(ratio.se, 0.009972957788027783)
    assert ratio.n_missing == int((data["enroll"].isna() | data["api.stu"].isna()).sum())
    assert (complete.n, complete.n_missing) == (200, 0)
    assert mean.df == 197


def test_categories_of_a_text_column_with_gaps() -> None:
    table = estimate(strat_with_gaps(), load_design(GAPS), ["mean:sch.wide"])
    assert list(table["category"]) == ["No", "Yes"]
    assert close(table["estimate"].iloc[0], 0.168818030476820619)
    assert close(table["estimate"].iloc[1], 0.831181969523179465)
    assert close(table["se"].iloc[0], 0.026357424296316285)
    assert list(table["n_missing"]) == [33, 33]


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("logit", (0.054439266720371679, 0.029112962471112936, 0.099538920053204111)),
        ("likelihood", (0.054439266720371679, 0.027235683620563531, 0.094428826323297715)),
        ("asin", (0.054439266683611202, 0.025853497251578060, 0.092767212339422728)),
        ("beta", (0.054439266683611202, 0.026019505613405415, 0.098779821023114112)),
        ("mean", (0.054439266683611202, 0.020859951214159303, 0.088018582153063102)),
        ("xlogit", (0.054439266683611202, 0.029112962439205282, 0.099538920026367869)),
    ],
)
def test_proportion_intervals_with_missing_answers(method, expected) -> None:
    table = estimate(strat_with_gaps(), load_design(GAPS), [f"prop:ell=0:method={method}"])
    got = row(table)
    assert close(got.se, 0.017027368018366875)
    for value, want in zip((got.estimate, got.ci_lower, got.ci_upper), expected, strict=True):
        assert close(value, want)


def test_domains_with_missing_values() -> None:
    table = estimate(strat_with_gaps(), load_design(GAPS), ["mean:enroll", "ratio:api.stu/enroll"], by="stype")
    means = table[table["stat"] == "mean"]
    for got, want in zip(
        means["estimate"], [420.592105263157919, 1342.418604651162696, 840.761904761904816], strict=True
    ):
        assert close(got, want)
    for got, want in zip(means["se"], [19.448808401158782, 98.939589345145421, 61.625366483927749], strict=True):
        assert close(got, want)
    ratios = table[table["stat"] == "ratio"]
    for got, want in zip(
        ratios["se"], [0.0090414248002767487, 0.0254990688681725614, 0.0219621884359754264], strict=True
    ):
        assert close(got, want)


def test_post_stratified_design_with_missing_values() -> None:
    design = {**GAPS, "calibrate": [{"method": "poststratify", "population": {"stype": POP_TYPES}}]}
    table = estimate(strat_with_gaps(), load_design(design), ["mean:enroll", "prop:ell=0:method=likelihood"])
    assert close(row(table).estimate, 617.500559166841413)
    assert close(row(table).se, 23.762392567007929)
    assert close(row(table, 1).estimate, 0.054439266406875679)
    assert close(row(table, 1).ci_lower, 0.028055896262635854)
    assert close(row(table, 1).ci_upper, 0.092662529584634168)
    by = estimate(strat_with_gaps(), load_design(design), ["prop:ell=0:method=likelihood"], by="stype")
    lower = [0.0148093245572232784, 0.0521315452155284645, 0.0073690549305275577]
    upper = [0.0974386414786490018, 0.2360490801493229651, 0.1244483465912981646]
    for got, want in zip([*by["ci_lower"], *by["ci_upper"]], lower + upper, strict=True):
        assert close(got, want)


def test_replicate_design_with_missing_values() -> None:
    design = {"strata": "stype", "weights": "pw", "fpc": ["fpc"], "replicates": {"type": "JKn", "generate": {}}}
    table = estimate(
        strat_with_gaps(),
        load_design(design),
        ["mean:enroll", "ratio:api.stu/enroll", "prop:ell=0:method=logit"],
    )
    assert close(row(table).se, 23.77089337368527211)
    assert close(row(table).deff, 0.43761378777409576)
    assert close(row(table, 1).se, 0.010016032767749615)
    assert close(row(table, 2).se, 0.017038549573420898)
    assert close(row(table, 2).ci_lower, 0.028025820758642166)
    assert close(row(table, 2).ci_upper, 0.103105838976058059)
    by = estimate(strat_with_gaps(), load_design(design), ["prop:ell=0:method=logit"], by="stype")
    lower = [0.0146196865705502214, 0.0544056452639147953, 0.0064525649859913077]
    upper = [0.1272553694768557841, 0.2618308057712422920, 0.2332184223980955373]
    for got, want in zip([*by["ci_lower"], *by["ci_upper"]], lower + upper, strict=True):
        assert close(got, want)


# --- calibration with bounds (the example design) ---------------------------------

LOGIT_EXAMPLE = """
ids: [dnum]
weights: pw
fpc: [fpc]
calibrate:
  - method: logit
    population: {stype: {E: 4421, H: 755, M: 1018}, api99: 3914069}
    bounds: [0.7, 1.7]
"""


def test_logit_calibration_with_bounds_from_yaml(tmp_path) -> None:
    path = tmp_path / "design.yaml"
    path.write_text(LOGIT_EXAMPLE)
    clus1 = api("apiclus1")
    table = estimate(clus1, load_design(path), ["mean:api00", "total:enroll"])
    assert close(row(table).estimate, 665.460969427492273)
    assert close(row(table).se, 3.419983721569491)
    assert close(row(table).deff, 0.19351176338622045)
    assert close(row(table, 1).estimate, 3657885.06503333291)
    assert close(row(table, 1).se, 378603.94948354556)
    weights = SurveyDesign.build(clus1, load_design(path)).weights
    assert close(weights.min(), 23.722524613174922) and close(weights.max(), 57.434335436117294)
    g = weights / clus1["pw"].to_numpy()
    assert g.min() >= 0.7 and g.max() <= 1.7


def test_bounded_linear_calibration() -> None:
    design = load_design(
        {
            "ids": ["dnum"],
            "weights": "pw",
            "fpc": ["fpc"],
            "calibrate": [
                {"method": "linear", "bounds": [0.7, 1.7], "population": {"stype": POP_TYPES, "api99": 3914069}}
            ],
        }
    )
    clus1 = api("apiclus1")
    table = estimate(clus1, design, ["mean:api00"])
    assert close(row(table).estimate, 665.4877962065374959)
    assert close(row(table).se, 3.4175388867468848)
    weights = SurveyDesign.build(clus1, design).weights
    assert close(weights.min(), 23.692897415161131) and close(weights.max(), 57.539893722534174)


# --- design effects, BRR and Fay -----------------------------------------------------------


def test_design_effects_for_replicate_totals_and_ratios() -> None:
    clus1 = api("apiclus1")
    jk1 = load_design({"ids": ["dnum"], "weights": "pw", "fpc": ["fpc"], "replicates": {"type": "JK1", "generate": {}}})
    assert close(row(estimate(clus1, jk1, ["total:enroll"])).deff, 31.310656094349419)
    taylor = load_design({"ids": ["dnum"], "weights": "pw", "fpc": ["fpc"]})
    assert close(row(estimate(clus1, taylor, ["ratio:api.stu/enroll"])).deff, 4.3393114408874673)


def paired() -> pd.DataFrame:
    strat = api("apistrat").sort_values(["stype", "snum"])
    strat["pair"] = strat["stype"] + " " + (strat.groupby("stype").cumcount() // 2).astype(str)
    return strat


@pytest.mark.parametrize("replicates", [{"type": "BRR", "generate": {}}, {"type": "Fay", "rho": 0.3, "generate": {}}])
def test_brr_and_fay_give_the_with_replacement_variance_of_a_total(replicates) -> None:
    taylor = row(estimate(paired(), load_design({"strata": "pair", "weights": "pw"}), ["total:enroll"]))
    brr = row(
        estimate(paired(), load_design({"strata": "pair", "weights": "pw", "replicates": replicates}), ["total:enroll"])
    )
    assert close(taylor.se, 113880.51360809863)
    assert close(brr.se, 113880.51360809863)


def test_brr_needs_two_psus_per_stratum() -> None:
    design = load_design({"strata": "stype", "weights": "pw", "replicates": {"type": "BRR", "generate": {}}})
    with pytest.raises(ValueError, match="exactly two PSUs per stratum; stratum E has 100"):
        SurveyDesign.build(api("apistrat"), design)
