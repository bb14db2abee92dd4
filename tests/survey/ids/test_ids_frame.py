"""The frame's id column and its rule: credit codes checked with their check characters, the id
column named by the caller, two numbering systems in one frame refused in one line naming rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.survey.enterprise_ids import make_uscc
from patentreach.survey.frame import FrameError, check_frame, read_frame
from patentreach.survey.synthetic import make_frame

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def uscc_frame() -> pd.DataFrame:
    """2,000 synthetic enterprises identified by valid credit codes of their own region."""
    frame = make_frame(2000, seed=8)
    frame["enterprise_id"] = make_uscc(np.random.default_rng(8), len(frame), frame["region"].tolist())
    return frame


def test_a_credit_code_frame_passes_with_the_uscc_rule(uscc_frame):
    checked = check_frame(uscc_frame)
    assert checked.attrs["id_rule"] == "uscc"
    assert checked["enterprise_id"].tolist() == uscc_frame["enterprise_id"].tolist()


def test_demo_ids_still_pass():
    assert check_frame(make_frame(2000, seed=8)).attrs["id_rule"] == "demo"


def test_the_id_column_is_named_by_the_caller_and_renamed(uscc_frame, tmp_path):
    renamed = uscc_frame.rename(columns={"enterprise_id": "uscc"})[["uscc", *uscc_frame.columns[1:]]]
    renamed.to_csv(tmp_path / "register.csv", index=False)
    frame = read_frame(tmp_path / "register.csv", id_column="uscc")
    assert list(frame.columns[:1]) == ["enterprise_id"] and "uscc" not in frame.columns
    assert frame["enterprise_id"].tolist() == uscc_frame["enterprise_id"].tolist()
    with pytest.raises(FrameError, match=r"register.csv: missing columns \['enterprise_id'\]"):
        read_frame(tmp_path / "register.csv")
    with pytest.raises(FrameError, match="frame: no id column 'code' "):
        check_frame(renamed, id_column="code")
    with pytest.raises(FrameError, match="both 'uscc' and 'enterprise_id' columns"):
        check_frame(renamed.assign(enterprise_id="x"), id_column="uscc")


def test_a_mistyped_code_is_named_with_its_row_and_the_right_check_character(uscc_frame):
    frame = uscc_frame.copy()
    code = frame.loc[4, "enterprise_id"]
    wrong = "0" if code[17] != "0" else "1"
    frame.loc[4, "enterprise_id"] = code[:17] + wrong
    frame.loc[9, "enterprise_id"] = code[:16]
    with pytest.raises(FrameError) as caught:
        check_frame(frame, source="register.csv")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(
        "register.csv: enterprise_id not unified social credit codes (GB 32100-2015, 18 characters with a "
        "check character) in rows 6, 11 (row 6: "
    )
    assert f"the check character (18th) is {wrong!r} but the first 17 characters give {code[17]!r}" in message
    assert f"row 11: {code[:16]!r} is not a unified social credit code: 16 characters, not 18" in message


def test_credit_codes_and_demo_ids_in_one_frame_are_refused_naming_the_rows(uscc_frame, tmp_path):
    frame = uscc_frame.copy()
    frame.loc[[3, 700, 1500], "enterprise_id"] = ["E000001", "E000002", "E000003"]
    with pytest.raises(FrameError) as caught:
        check_frame(frame)
    assert str(caught.value) == (
        "frame: enterprise_id mixes unified social credit codes (1997 rows) and demo ids E000000 (3 rows): "
        "one kind of id per frame; the demo ids E000000 are in rows 5, 702, 1502"
    )
    frame.to_csv(tmp_path / "mixed.csv", index=False)
    result = runner.invoke(app, ["survey", "sample", str(tmp_path / "mixed.csv"), "-n", "100", "-o",
                                 str(tmp_path / "s.csv")])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.output
    assert "mixed.csv" in result.output and "rows 5, 702, 1502" in " ".join(result.output.split())
    assert not (tmp_path / "s.csv").exists()


def test_a_named_rule_overrides_detection(uscc_frame):
    mixed = uscc_frame.copy()
    mixed.loc[[3], "enterprise_id"] = ["E000001"]
    assert check_frame(mixed, id_rule="free").attrs["id_rule"] == "free"
    with pytest.raises(FrameError, match=r"enterprise_id not unified social credit codes .* in rows 5 \(row 5: "
                                         r"'E000001' is not a unified social credit code: 7 characters, not 18\)"):
        check_frame(mixed, id_rule="uscc")
    with pytest.raises(FrameError, match=r"in rows 2, 3, 4, 5, 6 and 1995 more"):
        check_frame(make_frame(2000, seed=8), id_rule="uscc")
    with pytest.raises(FrameError, match="frame: unknown id rule 'gb'"):
        check_frame(uscc_frame, id_rule="gb")


def test_the_credit_code_frame_samples_through_the_command(uscc_frame, tmp_path):
    uscc_frame.to_csv(tmp_path / "frame.csv", index=False)
    result = runner.invoke(app, ["survey", "sample", str(tmp_path / "frame.csv"), "-n", "300", "--minimum", "5",
                                 "-o", str(tmp_path / "sample.csv"), "--patents-per-enterprise", "2"])
    assert result.exit_code == 0, result.output
    sample = pd.read_csv(tmp_path / "sample.csv", dtype={"enterprise_id": str})
    assert len(sample) == 300 and sample["enterprise_id"].isin(uscc_frame["enterprise_id"]).all()
    patents = pd.read_csv(tmp_path / "sample_patents.csv", dtype={"enterprise_id": str})
    assert set(patents["enterprise_id"]) == set(sample["enterprise_id"])


def test_a_warehouse_frame_takes_a_register_of_credit_codes_under_its_own_column(tmp_path):
    from patentreach.synth.uspto_grant_xml import write_weekly_file
    from patentreach.warehouse import Warehouse, connect
    from patentreach.warehouse.ingest import ingest

    warehouse = Warehouse(tmp_path / "wh")
    ingest([write_weekly_file(tmp_path / "ipg.xml", grants=40, seed=4)], warehouse)
    con = connect(warehouse)
    names = [r[0] for r in con.execute(
        "SELECT DISTINCT pa.name FROM parties pa WHERE pa.kind = 'organisation' "
        "AND pa.role IN ('applicant', 'assignee') ORDER BY 1").fetchall()]
    con.close()
    codes = make_uscc(np.random.default_rng(4), len(names))
    register = pd.DataFrame({"name": names, "uscc": codes, "sector": "private", "size": "large",
                             "region": "east", "industry": "electronics"})
    from patentreach.survey.frame import frame_from_warehouse

    built = frame_from_warehouse(warehouse, register, office="US", id_column="uscc")
    assert built.frame.attrs["id_rule"] == "uscc" and len(built.frame) >= 1
    assert set(built.frame["enterprise_id"]) <= set(codes) and set(built.patents["enterprise_id"]) <= set(codes)
    register.loc[0, "uscc"] = codes[0][:17] + ("0" if codes[0][17] != "0" else "1")
    with pytest.raises(FrameError, match="warehouse: enterprise_id not unified social credit codes"):
        frame_from_warehouse(warehouse, register.iloc[:1].assign(name=names[0]), office="US", id_column="uscc")
