"""``survey sample --patents-per-enterprise K --patent-list LIST``: the second stage drawn from the
frame's patent list names every drawn patent by its publication number (``patent_id``), so the
patent sample goes straight to ``survey invite --form patent``; without a list the command says
why the patents cannot be invited yet."""

from __future__ import annotations

import functools

import click
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from typer.main import get_command

from patentreach.cli.main import app
from patentreach.survey.synthetic import make_frame

runner = CliRunner(env={"COLUMNS": "200"})
TYPES = ("invention", "utility_model", "design")


@functools.cache
def command() -> click.Command:
    """The CLI built once (typer rebuilds every command on each invoke)."""
    return get_command(app)


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(command(), ["survey", *args])
    assert result.exit_code == code, result.output
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A 900-enterprise frame and its patent list: every enterprise's ``patents`` patents, with
    CN publication numbers in enterprise order and a type each."""
    where = tmp_path_factory.mktemp("patent_list")
    frame = make_frame(900, seed=7)
    frame.to_csv(where / "frame.csv", index=False)
    owner = np.repeat(frame["enterprise_id"].to_numpy(), frame["patents"].to_numpy())
    listing = pd.DataFrame(
        {
            "enterprise_id": owner,
            "patent_id": [f"CN{110_000_000 + k:09d}B" for k in range(owner.size)],
            "patent_type": [TYPES[k % 3] for k in range(owner.size)],
        }
    )
    listing.to_csv(where / "patents.csv", index=False)
    return where, frame, listing


def _sample(where, out: str, *extra: str, code: int = 0) -> str:
    return run("sample", str(where / "frame.csv"), "-n", "120", "--minimum", "3", "-o", str(where / out),
               *extra, code=code)


def test_the_patent_sample_names_each_drawn_patent_from_the_list_and_can_be_invited(files):
    where, frame, listing = files
    output = _sample(where, "a.csv", "--patents-per-enterprise", "2", "--patent-list", str(where / "patents.csv"))
    holders = pd.read_csv(where / "a.csv", dtype={"enterprise_id": str})
    patents = pd.read_csv(where / "a_patents.csv", dtype=str, keep_default_na=False)
    held = frame.set_index("enterprise_id")["patents"]
    expected = int(np.minimum(held.loc[holders["enterprise_id"]].to_numpy(), 2).sum())
    assert len(holders) == 120 and len(patents) == expected
    assert f"second stage: {expected:,} patents of 120 enterprises written to" in output
    assert "note:" not in output  # the list agrees with the frame's counts
    # each patent_id is one of its own enterprise's patents in the list, drawn once
    owner = listing.set_index("patent_id")["enterprise_id"]
    assert patents["patent_id"].is_unique
    assert (owner.loc[patents["patent_id"]].to_numpy() == patents["enterprise_id"].to_numpy()).all()
    drawn_per_holder = patents.groupby("enterprise_id").size().to_dict()
    assert drawn_per_holder == np.minimum(held.loc[holders["enterprise_id"]], 2).to_dict()
    kinds = listing.set_index("patent_id")["patent_type"]
    assert (kinds.loc[patents["patent_id"]].to_numpy() == patents["patent_type"].to_numpy()).all()
    weight = patents["holder_weight"].astype(float) * patents["patents"].astype(float) / patents["m_i"].astype(float)
    assert np.allclose(patents["design_weight"].astype(float), weight, rtol=1e-12)

    # the same seed draws the same patents: their ids are stable, so a second invite adds nobody
    _sample(where, "b.csv", "--patents-per-enterprise", "2", "--patent-list", str(where / "patents.csv"))
    assert pd.read_csv(where / "b_patents.csv", dtype=str, keep_default_na=False).equals(patents)
    store = f"sqlite:///{where / 'survey.sqlite'}"
    first = run("invite", "--sample", str(where / "a_patents.csv"), "--form", "patent", "--store", store,
                "--out", str(where / "letters.csv"))
    assert f"{expected:,} invitations for form patentreach_enterprise_patent: {expected:,} new, 0 already" in first
    letters = pd.read_csv(where / "letters.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert letters["patent_id"].tolist() == patents["patent_id"].tolist()
    assert letters["token"].is_unique and len(letters) == expected
    again = run("invite", "--sample", str(where / "b_patents.csv"), "--form", "patent", "--store", store,
                "--out", str(where / "letters2.csv"))
    assert f"{expected:,} invitations for form patentreach_enterprise_patent: 0 new, {expected:,} already" in again


def test_without_a_patent_list_the_sample_says_the_patents_cannot_be_invited_yet(files):
    where, _, _ = files
    output = _sample(where, "c.csv", "--patents-per-enterprise", "2")
    patents = pd.read_csv(where / "c_patents.csv", dtype={"enterprise_id": str})
    assert "patent_id" not in patents.columns and patents["patent_index"].between(1, patents["patents"]).all()
    assert "note: no --patent-list: the drawn patents are numbered by patent_index" in output
    refused = run("invite", "--sample", str(where / "c_patents.csv"), "--form", "patent", "--store",
                  f"sqlite:///{where / 'other.sqlite'}", "--out", str(where / "x.csv"), code=2)
    assert "the sample has no column 'patent_id'" in refused


def test_a_list_whose_counts_differ_from_the_frame_says_which_count_is_used(files, tmp_path):
    where, frame, listing = files
    extra = listing.groupby("enterprise_id").head(1).assign(patent_id=lambda t: t["patent_id"].str.replace("B", "A"))
    pd.concat([listing, extra]).to_csv(tmp_path / "more.csv", index=False)  # one more patent each
    output = _sample(where, "d.csv", "--patents-per-enterprise", "2", "--patent-list", str(tmp_path / "more.csv"))
    assert ("note: 120 sampled enterprise(s) have a different number of patents in "
            f"{tmp_path / 'more.csv'} than in the frame's `patents`: the list's count is used as M_i") in output
    patents = pd.read_csv(where / "d_patents.csv", dtype={"enterprise_id": str})
    held = frame.set_index("enterprise_id")["patents"]
    assert (patents["patents"].to_numpy() == held.loc[patents["enterprise_id"]].to_numpy() + 1).all()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.drop(columns=["patent_id"]), "the patent list has no column patent_id"),
        (lambda t: t.assign(patent_id=t["patent_id"].where(t.index != 4, t["patent_id"].iloc[0])),
         "patent_id repeats in rows 2, 6"),
        (lambda t: t.assign(enterprise_id=t["enterprise_id"].where(t.index != 0, "")),
         "enterprise_id is empty in rows 2"),
        (lambda t: t.iloc[:1], "sampled enterprise(s) have no patent in the patent list"),
    ],
)
def test_a_broken_patent_list_is_one_line_naming_the_file(files, tmp_path, change, message):
    where, _, listing = files
    change(listing).to_csv(tmp_path / "broken.csv", index=False)
    output = _sample(where, "e.csv", "--patents-per-enterprise", "2", "--patent-list", str(tmp_path / "broken.csv"),
                     code=2)
    assert str(tmp_path / "broken.csv") in output and message in output and "Traceback" not in output


def test_a_patent_list_without_a_second_stage_is_refused(files):
    where, _, _ = files
    output = _sample(where, "f.csv", "--patent-list", str(where / "patents.csv"), code=2)
    assert "--patent-list is the second stage's frame: give --patents-per-enterprise K" in output
