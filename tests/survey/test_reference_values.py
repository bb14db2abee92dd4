"""Every expected value from R 4.2.2 / survey 4.5 in ../shared/reference/survey, one case each.

Each design is built once per session through the public API (``load_design`` on a mapping that
mirrors the R call, ``estimate`` with the command-line statistic syntax) and every expected row
is looked up in its result. Tolerance: 1e-9 relative. Rows flagged ``degenerate_zero_se`` are
calibration margins: their SE must be ~0 and their interval is R's artefact of a zero SE, so an
interval row there checks only that the SE is ~0.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from patentreach.survey.design import load_design
from patentreach.survey.estimate import estimate
from patentreach.survey.output import to_records
from patentreach.survey.survey_design import SurveyDesign
from patentreach.survey.weights import nonresponse_adjust
from tests.conftest import shared_path

REFERENCE = ("reference", "survey")
RELATIVE = 1e-9
METHODS = ("logit", "likelihood", "asin", "beta", "mean", "xlogit", "wilson")

POP_TYPES = {"E": 4421, "H": 755, "M": 1018}
POP_SCHWIDE = {"No": 1072, "Yes": 5122}
POP_IMP = {"No": 1712, "Yes": 4482}

STRAT = {"strata": "stype", "weights": "pw", "fpc": ["fpc"]}
CLUS1 = {"ids": ["dnum"], "weights": "pw", "fpc": ["fpc"]}
RAKE_CLUS1 = {
    "method": "rake",
    "population": {"stype": POP_TYPES, "sch.wide": POP_SCHWIDE},
    "maxit": 30,
    "epsilon": 1e-10,
}
PS_TYPES = {"method": "poststratify", "population": {"stype": POP_TYPES}}
CAL_API99 = {"method": "linear", "population": {"stype": POP_TYPES, "api99": 3914069}}
JK1 = {"type": "JK1", "generate": {}}

# design_id -> (data set, design mapping); the R call of each is in the reference README
DESIGNS: dict[str, tuple[str, dict]] = {
    "srs": ("apisrs", {"fpc": ["fpc"]}),
    "srs_nofpc": ("apisrs", {"weights": "pw"}),
    "strat": ("apistrat", STRAT),
    "strat_nofpc": ("apistrat", {"strata": "stype", "weights": "pw"}),
    "strat_ps_sw": (
        "apistrat",
        {**STRAT, "calibrate": [{"method": "poststratify", "population": {"sch.wide": POP_SCHWIDE}}]},
    ),
    "strat_rake": (
        "apistrat",
        {
            **STRAT,
            "calibrate": [
                {
                    "method": "rake",
                    "population": {"sch.wide": POP_SCHWIDE, "comp.imp": POP_IMP},
                    "maxit": 100,
                    "epsilon": 1e-10,
                }
            ],
        },
    ),
    "strat_nr": ("apistrat_resp", {"strata": "stype", "weights": "w_nr", "fpc": ["fpc"]}),
    "strat_nr_ps": ("apistrat_resp", {**STRAT, "calibrate": "cells"}),
    "clus1": ("apiclus1", CLUS1),
    "clus1_fpconly": ("apiclus1", {"ids": ["dnum"], "fpc": ["fpc"]}),
    "clus1_ps": ("apiclus1", {**CLUS1, "calibrate": [PS_TYPES]}),
    "clus1_rake": ("apiclus1", {**CLUS1, "calibrate": [RAKE_CLUS1]}),
    "clus1_cal_lin_stype": (
        "apiclus1",
        {**CLUS1, "calibrate": [{"method": "linear", "population": {"stype": POP_TYPES}}]},
    ),
    "clus1_cal_lin_api99": ("apiclus1", {**CLUS1, "calibrate": [CAL_API99]}),
    "clus1_cal_rak_sw": (
        "apiclus1",
        {
            **CLUS1,
            "calibrate": [{"method": "raking", "population": {"stype": POP_TYPES, "sch.wide": POP_SCHWIDE}}],
        },
    ),
    "rclus1_jk1": ("apiclus1", {**CLUS1, "replicates": JK1}),
    "rclus1_jk1_mse": ("apiclus1", {**CLUS1, "replicates": {**JK1, "mse": True}}),
    "rclus1_jk1_ps": ("apiclus1", {**CLUS1, "replicates": JK1, "calibrate": [PS_TYPES]}),
    "rclus1_jk1_mse_ps": (
        "apiclus1",
        {**CLUS1, "replicates": {**JK1, "mse": True}, "calibrate": [PS_TYPES]},
    ),
    "rclus1_jk1_rake": ("apiclus1", {**CLUS1, "replicates": JK1, "calibrate": [RAKE_CLUS1]}),
    "rclus1_jk1_cal_api99": ("apiclus1", {**CLUS1, "replicates": JK1, "calibrate": [CAL_API99]}),
    "rstrat_jkn": ("apistrat", {**STRAT, "replicates": {"type": "JKn", "generate": {}}}),
    "rstrat_boot50": (
        "apistrat_boot",
        {
            **STRAT,
            "replicates": {
                "type": "bootstrap",
                "columns": [f"rep{i:03d}" for i in range(1, 51)],
                "scale": 0.0207540643375994,
            },
        },
    ),
}

WHOLE = [
    "mean:api00",
    "mean:api00:ci=normal",
    "total:enroll",
    "total:enroll:ci=normal",
    "mean:enroll",
    "mean:enroll:ci=normal",
    "total:api00",
    "total:api00:ci=normal",
    "mean:api00:deff=replace",
    "mean:sch.wide",
    "total:sch.wide",
    "ratio:api.stu/enroll",
    *(f"prop:sch.wide=Yes:method={m}" for m in METHODS),
    *(f"prop:ell=0:method={m}" for m in METHODS),
]
BY_STYPE = [
    "mean:api00",
    "mean:sch.wide",
    *(f"prop:sch.wide=Yes:method={m}" for m in ("logit", "beta", "mean")),
]


@functools.cache
def _expected() -> pd.DataFrame:
    path = shared_path(*REFERENCE, "expected", "api_reference_results.csv")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@functools.cache
def _dataset(name: str) -> pd.DataFrame:
    data_dir = shared_path(*REFERENCE, "data")
    if name == "apistrat_resp":
        strat = _dataset("apistrat").copy()
        strat["responded"] = ~((strat["snum"] % 3 == 0) | ((strat["sch.wide"] == "No") & (strat["snum"] % 2 == 0)))
        strat["w_nr"] = nonresponse_adjust(strat, "pw", "responded", ["stype", "sch.wide"])
        strat["nrcell"] = strat["stype"] + ":" + strat["sch.wide"]
        return strat[strat["responded"]].reset_index(drop=True)
    if name == "apistrat_boot":
        reps = pd.read_csv(shared_path(*REFERENCE, "expected", "repweights_rstrat_boot50.csv"), dtype={"key": str})
        return _dataset("apistrat").merge(reps, left_on="cds", right_on="key", validate="1:1")
    return pd.read_csv(data_dir / f"{name}.csv", dtype={"cds": str})


def _cell_population() -> dict:
    strat = _dataset("apistrat")
    cells = strat["stype"] + ":" + strat["sch.wide"]
    return {"nrcell": strat.groupby(cells)["pw"].sum().to_dict()}


@dataclass
class Computed:
    survey: SurveyDesign
    whole: list[dict]
    by_stype: list[dict]


@functools.cache
def _computed(design_id: str) -> Computed:
    dataset, mapping = DESIGNS[design_id]
    if mapping.get("calibrate") == "cells":
        mapping = {**mapping, "calibrate": [{"method": "poststratify", "population": _cell_population()}]}
    data = _dataset(dataset)
    survey = SurveyDesign.build(data, load_design(mapping))
    whole = to_records(estimate(data, survey, WHOLE))
    by_stype = to_records(estimate(data, survey, BY_STYPE, by="stype"))
    return Computed(survey, whole, by_stype)


def _pick(table: list[dict], stat: str, variable: str, category=None, domain=None, nth: int = 0) -> dict:
    rows = [
        r
        for r in table
        if r["stat"] == stat and r["variable"] == variable and r["category"] == category and r["domain"] == domain
    ]
    return rows[nth]


def _num(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _value(row: dict, computed: Computed) -> tuple[float, dict | None]:
    """Our value for one expected row, and our whole result row for that statistic."""
    estimator, variable, stat = row["estimator"], row["variable"], row["stat"]
    analysis, domain, category, method = row["analysis_r"], row["domain"], row["category"], row["method"]
    if estimator == "degf":
        return float(computed.survey.degf()), None
    if estimator == "sum_weights":
        return float(computed.survey.weights.sum()), None
    whole, by = computed.whole, computed.by_stype
    if estimator in ("svymean", "svytotal"):
        kind = "mean" if estimator == "svymean" else "total"
        name = variable.lstrip("~")
        if category:
            picked = _pick(whole, kind, name, category)
        else:
            # WHOLE lists each variable's default row, then its ci=normal row (and deff=replace)
            order = {"normal": 1, "replace": 2}
            nth = order["replace"] if "replace" in analysis else (order["normal"] if stat.endswith("_normal") else 0)
            picked = _pick(whole, kind, name, nth=nth)
        column = {
            "ci_lower_normal": "ci_lower",
            "ci_upper_normal": "ci_upper",
            "ci_lower_t": "ci_lower",
            "ci_upper_t": "ci_upper",
        }.get(stat, stat)
        return _num(picked[column]), picked
    if estimator == "svyratio":
        picked = _pick(whole, "ratio", variable)
        return _num(picked[stat]), picked
    if estimator == "svyciprop":
        name, category_value = ("sch.wide", "Yes") if "sch.wide" in variable else ("ell", "0")
        props = [r for r in whole if r["stat"] == "prop" and r["variable"] == name]
        picked = props[METHODS.index(method)]
        assert picked["category"] == category_value
        return _num(picked[stat]), picked
    if estimator == "svyby(svymean)":
        picked = _pick(by, "mean", variable.lstrip("~"), category or None, domain)
        return _num(picked[stat]), picked
    if estimator == "svyby(svyciprop)":
        props = [r for r in by if r["stat"] == "prop" and r["domain"] == domain]
        picked = props[("logit", "beta", "mean").index(method)]
        return _num(picked[stat]), picked
    raise AssertionError(f"unmapped estimator {estimator}")


@functools.cache
def _expected_rows() -> list[dict]:
    return _expected().to_dict(orient="records")


def _cases():
    expected = _expected()
    return [
        pytest.param(i, id=f"{row.case_id}|{row.stat}#{i}") for i, row in enumerate(expected.itertuples(index=False))
    ]


@pytest.mark.parametrize("index", _cases())
def test_matches_r_survey(index: int) -> None:
    row = _expected_rows()[index]
    computed = _computed(row["design_id"])
    ours, picked = _value(row, computed)
    if row["degenerate_zero_se"] == "TRUE" and row["stat"] != "estimate":
        assert picked is not None
        se, scale = _num(picked["se"]), max(abs(_num(picked["estimate"])), 1.0)
        assert se <= 1e-9 * scale, f"SE of a calibration margin is {se}, not ~0"
        return
    expected = float(row["value"])
    assert math.isfinite(ours), f"{row['analysis_r']} {row['stat']}: we give {ours}, R {expected}"
    assert abs(ours - expected) <= RELATIVE * abs(expected), (
        f"{row['analysis_r']} {row['stat']}: ours {ours!r}, R {expected!r}, "
        f"relative difference {abs(ours - expected) / abs(expected):.2e}"
    )


def test_reference_has_3164_values() -> None:
    assert len(_expected()) == 3164


def test_every_design_in_the_reference_is_mapped() -> None:
    assert set(_expected()["design_id"]) == set(DESIGNS)


@pytest.mark.parametrize("design_id", ["rclus1_jk1", "rclus1_jk1_ps", "rstrat_jkn"])
def test_generated_replicate_weights_equal_r_matrices(design_id: str) -> None:
    reps = pd.read_csv(shared_path(*REFERENCE, "expected", f"repweights_{design_id}.csv"), dtype={"key": str})
    computed = _computed(design_id)
    data = _dataset(DESIGNS[design_id][0])
    ours = pd.DataFrame(computed.survey.replicates.analysis, index=data["cds"]).loc[reps["key"]]
    theirs = reps.filter(like="rep").to_numpy()
    np.testing.assert_allclose(ours.to_numpy(), theirs, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(computed.survey.weights, reps.set_index("key").loc[data["cds"], "w_full"], rtol=1e-12)
