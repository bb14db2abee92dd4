"""Frame checks and the stratified draw: reproducible by seed, carrying its design."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from patentreach.survey.frame import (
    FrameError,
    add_strata,
    check_frame,
    frame_from_warehouse,
    read_frame,
    stratum_table,
)
from patentreach.survey.sampling import SamplingError, draw_patents, draw_sample, draw_stratified
from patentreach.survey.synthetic import make_frame


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return add_strata(check_frame(make_frame(3000, seed=5)), ["size", "region"])


def test_the_sample_carries_fpc_and_design_weight_equal_to_n_h_over_n_h(frame):
    sample = draw_sample(frame, 600, "neyman", seed=1, minimum=5)
    table = stratum_table(frame)
    for stratum, rows in sample.groupby("stratum"):
        big_n, n_h = table.loc[stratum, "N"], len(rows)
        assert (rows["fpc"] == big_n).all()
        assert (rows["n_h"] == n_h).all()
        assert rows["design_weight"].tolist() == pytest.approx([big_n / n_h] * n_h)
        assert rows["prob"].tolist() == pytest.approx([n_h / big_n] * n_h)
    # the design weights add up to the frame, stratum by stratum and in total
    assert sample["design_weight"].sum() == pytest.approx(len(frame))
    assert sample["enterprise_id"].is_unique
    assert len(sample) == 600


def test_the_same_seed_draws_the_same_sample_and_another_seed_does_not(frame):
    first = draw_sample(frame, 500, "proportional", seed=2021, minimum=2)
    again = draw_sample(frame, 500, "proportional", seed=2021, minimum=2)
    other = draw_sample(frame, 500, "proportional", seed=2022, minimum=2)
    assert first["enterprise_id"].tolist() == again["enterprise_id"].tolist()
    assert set(first["enterprise_id"]) != set(other["enterprise_id"])


def test_the_sample_does_not_depend_on_the_order_of_the_frame(frame):
    shuffled = frame.sample(frac=1.0, random_state=3)
    a = draw_sample(frame, 400, seed=9)
    b = draw_sample(shuffled, 400, seed=9)
    assert a["enterprise_id"].tolist() == b["enterprise_id"].tolist()


def test_changing_one_strata_size_does_not_reshuffle_the_others():
    frame = pd.DataFrame({"enterprise_id": [f"E{i:06d}" for i in range(40)], "stratum": ["a"] * 20 + ["b"] * 20})
    one = draw_stratified(frame, {"a": 5, "b": 5}, seed=4)
    two = draw_stratified(frame, {"a": 5, "b": 8}, seed=4)
    assert (
        one.loc[one.stratum == "a", "enterprise_id"].tolist() == two.loc[two.stratum == "a", "enterprise_id"].tolist()
    )


def test_a_stratum_without_sample_is_refused():
    frame = pd.DataFrame({"enterprise_id": ["E000001", "E000002"], "stratum": ["a", "b"]})
    with pytest.raises(SamplingError, match=r"strata with no sample: \['b'\]"):
        draw_stratified(frame, {"a": 1}, seed=1)


def test_second_stage_draws_up_to_m_patents_per_enterprise_with_weight_times_m_over_m():
    holders = pd.DataFrame(
        {
            "enterprise_id": ["E000001", "E000002"],
            "stratum": ["s", "s"],
            "fpc": [10, 10],
            "design_weight": [5.0, 5.0],
            "patents": [7, 2],
        }
    )
    patents = draw_patents(holders, per_holder=3, seed=11)
    first = patents[patents.enterprise_id == "E000001"]
    second = patents[patents.enterprise_id == "E000002"]
    assert len(first) == 3 and len(second) == 2
    assert first["design_weight"].tolist() == pytest.approx([5.0 * 7 / 3] * 3)
    assert second["design_weight"].tolist() == pytest.approx([5.0] * 2)
    assert sorted(second["patent_index"]) == [1, 2]
    assert first["patent_index"].between(1, 7).all() and first["patent_index"].is_unique
    assert draw_patents(holders, 3, seed=11).equals(patents)


def test_second_stage_from_a_listing_returns_the_listed_patents():
    holders = pd.DataFrame({"enterprise_id": ["E1"], "stratum": ["s"], "fpc": [4], "design_weight": [2.0]})
    listing = pd.DataFrame(
        {
            "enterprise_id": ["E1"] * 4,
            "patent_id": ["P1", "P2", "P3", "P4"],
            "patent_type": ["invention"] * 4,
        }
    )
    drawn = draw_patents(holders, 2, seed=3, patents=listing)
    assert len(drawn) == 2 and set(drawn["patent_id"]) <= {"P1", "P2", "P3", "P4"}
    assert drawn["design_weight"].tolist() == [4.0, 4.0]  # 2 * 4 / 2


def test_frame_errors_name_the_rule_and_the_rows(tmp_path: Path):
    path = tmp_path / "frame.csv"
    path.write_text(
        "enterprise_id,sector,size,region,industry,patents\n"
        "E000001,private,small,east,machinery,3\n"
        "E000001,private,huge,east,machinery,0\n"
        "E000003,private,small,south,machinery,2\n",
        encoding="utf-8",
    )
    with pytest.raises(FrameError) as caught:
        read_frame(path)
    message = str(caught.value)
    assert "enterprise_id repeated in rows 2, 3" in message
    assert "size not one of ['large', 'medium', 'micro', 'small']: ['huge'] in rows 3" in message
    assert "region not one of" in message and "['south'] in rows 4" in message
    assert "patents must be a whole number >= 1 in rows 3" in message


def test_a_frame_can_be_built_from_the_warehouse_and_unmatched_holders_are_kept(tmp_path):
    from patentreach.synth.uspto_grant_xml import write_weekly_file
    from patentreach.warehouse import Warehouse
    from patentreach.warehouse.ingest import ingest

    weekly = write_weekly_file(tmp_path / "ipg.xml", grants=60, seed=3)
    warehouse = Warehouse(tmp_path / "wh")
    ingest([weekly], warehouse)
    from patentreach.warehouse import connect

    con = connect(warehouse)
    holders = con.execute(
        "SELECT DISTINCT pa.name FROM parties pa JOIN publications p USING (pub_id) "
        "WHERE pa.kind = 'organisation' AND pa.role IN ('applicant', 'assignee') ORDER BY 1"
    ).fetchall()
    con.close()
    names = [h[0] for h in holders]
    assert len(names) >= 2
    register = pd.DataFrame(
        {
            "name": names[:-1],
            "enterprise_id": [f"E{i:06d}" for i in range(1, len(names))],
            "sector": "private",
            "size": "large",
            "region": "east",
            "industry": "electronics",
        }
    )
    built = frame_from_warehouse(warehouse, register, office="US")
    assert len(built.frame) >= 1
    assert built.frame["patents"].sum() == built.patents.groupby("enterprise_id").size().sum()
    assert names[-1].strip().upper() in set(built.unmatched["holder"])


def test_second_stage_positions_are_distinct_and_equally_likely():
    from patentreach.survey.sampling import srswor_positions

    rng = np.random.default_rng(0)
    picks = srswor_positions(np.full(50_000, 5), 2, rng)
    assert (picks[:, 0] != picks[:, 1]).all() and picks.min() == 0 and picks.max() == 4
    # each of the 5 positions is in the sample with probability 2/5
    counts = np.bincount(picks.ravel(), minlength=5) / 50_000
    assert counts == pytest.approx([0.4] * 5, abs=0.01)
    # each of the 10 pairs equally likely (1/10)
    pairs = np.bincount(np.sort(picks, axis=1) @ np.array([5, 1]), minlength=25)
    assert pairs[pairs > 0] / 50_000 == pytest.approx([0.1] * 10, abs=0.01)
    small = srswor_positions(np.array([1, 0, 3]), 2, rng)
    assert small[0].tolist() == [0, -1] and small[1].tolist() == [-1, -1]
    assert sorted(small[2]) != [-1, -1] and len(set(small[2])) == 2
