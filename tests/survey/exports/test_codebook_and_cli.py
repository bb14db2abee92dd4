"""The codebook (every answer field, its label, logic and codes, from the XLSForm) and the
``survey export`` / ``survey codebook`` commands with their one-line errors."""

from __future__ import annotations

import pandas as pd
import pyreadstat
import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.survey.codebook import codebook, write_codebook
from patentreach.survey.instrument.form import load_form
from patentreach.survey.responses import import_responses
from patentreach.survey.store import open_store, save_import
from patentreach.survey.synthetic import holder_answers, make_frame

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.mark.parametrize("name", ["holder", "patent"])
def test_the_codebook_has_a_row_for_every_answer_field_and_choice(name: str) -> None:
    form = load_form(name)
    table = codebook(form, "en")
    answers = [f.name for f in form.answers]
    indicators = [f"{f.name}__{c.name}" for f in form.answers if f.type == "select_multiple"
                  for c in form.choices[f.list_name]]
    assert set(answers) <= set(table["name"])
    assert table["name"].tolist() == ["_import_id", "_row", *[n for f in form.answers for n in
                                      [f.name, *[i for i in indicators if i.startswith(f.name + "__")]]]]
    assert len(table) == 2 + len(answers) + len(indicators)
    assert table["export_name"].str.len().max() <= 32
    assert table["export_name"].str.lower().is_unique
    assert list(table.columns) == ["name", "export_name", "label", "type", "group", "relevant", "constraint",
                                   "required", "choices"]


def test_the_holder_codebook_says_the_forms_own_rules() -> None:
    table = codebook(load_form("holder"), "en").set_index("name")
    size = table.loc["size"]
    assert size["label"] == "Enterprise size" and size["type"] == "select_one size" and size["group"] == "profile"
    assert size["choices"] == "1 = large (Large); 2 = medium (Medium); 3 = small (Small); 4 = micro (Micro)"
    assert size["required"] == "yes"
    foreign = table.loc["foreign_patents"]
    assert foreign["relevant"] == "${holds_foreign} = 'yes'"
    assert foreign["type"] == "integer" and foreign["group"] == "patents"
    assert table.loc["export_markets", "group"] == "export/export_detail"
    assert table.loc["export_markets__us", "type"] == "indicator 0/1"
    assert table.loc["export_markets__us", "choices"] == "0 = No; 1 = Yes"
    assert table.loc["difficulty_response__self_innovation", "export_name"] == "difficulty_response__self_in"
    assert table.loc["tech_import_difficulty", "label"] == \
        "In the last three years, was it difficult to license or acquire technology from abroad?"  # whole
    zh = codebook(load_form("holder"), "zh").set_index("name")
    assert zh.loc["size", "label"] == "企业规模"
    assert zh.loc["size", "choices"] == \
        "1 = large (大型企业); 2 = medium (中型企业); 3 = small (小型企业); 4 = micro (微型企业)"
    assert zh.loc["export_markets__us", "choices"] == "0 = 否; 1 = 是"


def test_codebook_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    form = load_form("patent")
    csv = pd.read_csv(write_codebook(form, tmp_path / "c.csv"), dtype=str, keep_default_na=False)
    assert csv.equals(codebook(form).astype(str))
    xlsx = pd.read_excel(write_codebook(form, tmp_path / "c.xlsx"), dtype=str, keep_default_na=False)
    assert xlsx["name"].tolist() == csv["name"].tolist()
    markdown = write_codebook(form, tmp_path / "c.md", "zh").read_text(encoding="utf-8")
    assert markdown.startswith("# Codebook: ")
    assert "| patent_type | patent_type | 专利类型 | select_one patent_type |" in markdown
    with pytest.raises(ValueError, match=r"c\.pdf: a codebook is written as \.csv, \.xlsx, \.md"):
        write_codebook(form, tmp_path / "c.pdf")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A store with 40 holder responses imported like a paper batch."""
    folder = tmp_path_factory.mktemp("cli-store")
    frame = make_frame(40, seed=11)
    result = import_responses(holder_answers(frame, seed=11).astype(object), load_form("holder"))
    assert len(result.accepted) == 40
    engine = open_store(folder / "survey.sqlite")
    save_import(engine, result)
    engine.dispose()
    return folder / "survey.sqlite"


def test_survey_export_writes_the_format_of_the_extension(store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "holder.sav"
    result = runner.invoke(app, ["survey", "export", "--store", str(store), "--form", "holder", "--out", str(out),
                                 "--language", "zh"])
    assert result.exit_code == 0, result.output
    assert f"40 responses of form patentreach_enterprise_holder written to {out}" in result.output.replace("\n", "")
    frame, meta = pyreadstat.read_sav(out)
    assert len(frame) == 40 and meta.column_names_to_labels["size"] == "企业规模"
    empty = runner.invoke(app, ["survey", "export", "--store", str(store), "--form", "patent",
                                "--out", str(tmp_path / "p.csv")])
    assert empty.exit_code == 0
    assert "the store holds no responses of this form yet" in empty.output


@pytest.mark.parametrize(("args", "message"), [
    (["--store", "{missing}", "--out", "{tmp}/x.sav"], "{missing}: no such survey store"),
    (["--store", "{store}", "--out", "{tmp}/x.txt"], "{tmp}/x.txt: cannot tell the format from the extension"),
    (["--store", "{store}", "--out", "{tmp}/x.sav", "--language", "fr"], "--language 'fr' is not one of en, zh"),
    (["--store", "{store}", "--out", "{tmp}/x.sav", "--form", "nope.xlsx"], "nope.xlsx: no such form"),
    (["--store", "{store}", "--out", "{tmp}/no/x.sav"], "{tmp}/no/x.sav: the folder {tmp}/no does not exist"),
])
def test_survey_export_errors_are_one_line(store, tmp_path, args, message) -> None:  # type: ignore[no-untyped-def]
    values = {"store": str(store), "tmp": str(tmp_path), "missing": str(tmp_path / "missing.sqlite")}
    result = runner.invoke(app, ["survey", "export", *[a.format(**values) for a in args]])
    assert result.exit_code == 2, result.output
    output = " ".join(result.output.split())
    assert output.startswith("error: ") and message.format(**values) in output
    assert "Traceback" not in result.output
    assert not (tmp_path / "missing.sqlite").exists()  # a mistyped store is not created


def test_survey_codebook_command(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "codebook.xlsx"
    result = runner.invoke(app, ["survey", "codebook", "--form", "patent", "--out", str(out), "--language", "zh"])
    assert result.exit_code == 0, result.output
    table = pd.read_excel(out, dtype=str, keep_default_na=False).set_index("name")
    assert table.loc["patent_type", "label"] == "专利类型"
    bad = runner.invoke(app, ["survey", "codebook", "--out", str(tmp_path / "c.pdf")])
    assert bad.exit_code == 2 and "a codebook is written as .csv, .xlsx, .md" in bad.output
