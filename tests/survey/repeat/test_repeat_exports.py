"""A repeat's wide columns in the codebook and the statisticians' exports: "Export market 2: ..."
labels in English and Chinese, the instance in the group path, SPSS/Stata value labels."""

from __future__ import annotations

import pandas as pd
import pyreadstat
import pytest

from patentreach.survey.codebook import codebook
from patentreach.survey.exports import write_responses
from patentreach.survey.instrument.form import load_form
from patentreach.survey.responses import import_responses
from patentreach.survey.store import load_responses, open_store, save_import

HOLDER = load_form("holder")


def test_the_codebook_labels_each_instance_column():
    book = codebook(HOLDER).set_index("name")
    row = book.loc["market_2_share"]
    assert row["label"] == "Export market 2: Share of the enterprise's exports (%)"
    assert row["group"] == "export/export_detail/market[2]"
    assert row["required"] == "yes (if the instance is answered)"
    assert row["constraint"] == ". > 0 and . <= 100"
    assert book.loc["market_10_protected", "choices"] == "1 = yes (Yes); 2 = no (No)"
    zh = codebook(HOLDER, "zh").set_index("name")
    assert zh.loc["market_2_country", "label"] == "出口市场2：国家或地区"
    columns = list(book.index)
    at = columns.index("market_1_country")
    assert columns[at: at + 4] == ["market_1_country", "market_1_share", "market_1_protected", "market_2_country"]


@pytest.fixture(scope="module")
def stored(tmp_path_factory):  # type: ignore[no-untyped-def]
    """Two enterprises' holder answers with two and one export markets, imported and stored."""
    from patentreach.survey import synthetic

    frame = synthetic.make_frame(300, 11)
    answers = synthetic.holder_answers(frame, 11, HOLDER)
    exporters = answers[(answers["exports"] == "yes") & (answers["export_protection"] == "some")].head(2).copy()
    exporters.iloc[0, exporters.columns.get_indexer([f"market_{k}_{q}" for k in (3, 4, 5)
                                                   for q in ("country", "share", "protected")])] = ""
    folder = tmp_path_factory.mktemp("repeat-exports")
    result = import_responses(exporters.set_axis(range(2, 2 + len(exporters))), HOLDER)
    assert result.issues == []
    engine = open_store(str(folder / "store.sqlite"))
    save_import(engine, result)
    data = load_responses(engine, "holder")
    engine.dispose()
    return {"data": data, "answers": exporters.reset_index(drop=True), "folder": folder}


@pytest.mark.parametrize(("language", "label"), [("en", "Export market 2: Country or region"),
                                                 ("zh", "出口市场2：国家或地区")])
def test_spss_and_stata_files_carry_the_instance_labels_and_codes(stored, language, label):
    for ext in ("sav", "dta"):
        path = write_responses(stored["data"], HOLDER, stored["folder"] / f"r_{language}.{ext}", language)
        read = pyreadstat.read_sav if ext == "sav" else pyreadstat.read_dta
        frame, meta = read(str(path))
        labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
        assert labels["market_2_country"] == label
        codes = {c.name: n for n, c in enumerate(HOLDER.choices["country"], start=1)}
        expected = [codes[c] for c in stored["data"]["market_2_country"]]
        assert frame["market_2_country"].tolist() == expected


def test_the_csv_export_keeps_one_row_per_unit_with_the_instance_columns(stored):
    path = write_responses(stored["data"], HOLDER, stored["folder"] / "r.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert len(back) == 2
    first = stored["answers"].iloc[0]
    row = back.set_index("enterprise_id").loc[first["enterprise_id"]]
    assert row["market_1_country"] == first["market_1_country"]
    assert float(row["market_2_share"]) == float(first["market_2_share"])
    assert row["market_3_country"] == ""
