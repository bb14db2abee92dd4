"""The two XLSForms: valid for ODK (pyxform converts them), bilingual, in step with their build
script, and loaded into the model the response import validates against."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest
from openpyxl import Workbook

from patentreach.survey.instrument import FormError, bundled_form_path, load_form, to_xform

REPO = Path(__file__).resolve().parents[2]


def _build_script():
    spec = importlib.util.spec_from_file_location("build_forms", REPO / "scripts/survey/build_forms.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["holder", "patent"])
def test_pyxform_converts_each_bundled_form_to_an_xform_without_warnings(name):
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    xform = convert(xlsform=str(bundled_form_path(name)), warnings=warnings).xform
    assert warnings == []
    assert "<h:html" in xform and 'lang="Chinese (zh)"' in xform
    assert load_form(name).form_id in to_xform(name)


@pytest.mark.parametrize("name", ["holder", "patent"])
def test_committed_workbooks_equal_what_the_build_script_writes(name):
    script = _build_script()
    assert script.read_sheets(bundled_form_path(name)) == script.sheets(name)


@pytest.mark.parametrize("name", ["holder", "patent"])
def test_every_question_and_choice_has_an_english_and_a_chinese_label(name):
    form = load_form(name)
    assert form.languages == ("English (en)", "Chinese (zh)")
    for field in form.fields:
        assert field.labels["English (en)"] and field.labels["Chinese (zh)"], field.name
        if field.constraint is not None:
            assert field.message("en") and field.message("zh"), field.name
    for list_name, choices in form.choices.items():
        for choice in choices:
            assert choice.labels["English (en)"] and choice.labels["Chinese (zh)"], (
                list_name,
                choice.name,
            )


def test_holder_form_covers_the_issue_topics_with_skip_logic():
    form = load_form("holder")
    names = [f.name for f in form.answers]
    for topic in (
        "inv_patents_cn",
        "foreign_offices",
        "transfer_out_countries",
        "license_in_countries",
        "export_markets",
        "export_protection",
        "tech_import_difficulty",
        "difficulty_us_europe",
        "difficulty_response",
        "ip_staff_fte",
        "ip_budget_kcny",
        "size",
        "industry",
        "region",
    ):
        assert topic in names
    protected = form.field("protected_markets")
    # the group's condition and the question's own, in that order
    assert [c.text for c in protected.relevant] == [
        "${exports} = 'yes'",
        "${export_protection} = 'some'",
    ]
    assert protected.choice_filter.text == "selected(${export_markets}, name)"
    assert protected.groups == ("export", "export_detail")
    assert form.field("rd_staff").constraint.references == {"employees"}
    assert "self_innovation" in form.choice_names("difficulty_response")


def test_patent_form_is_the_second_unit_keyed_by_enterprise_and_patent():
    form = load_form("patent")
    assert [f.name for f in form.answers][:3] == ["enterprise_id", "patent_id", "patent_type"]
    assert form.field("patent_id").required == "yes"
    assert form.form_id == "patentreach_enterprise_patent"


def test_country_choices_flag_exactly_the_belt_and_road_signatories(shared_reference):
    with (shared_reference / "filing-rules" / "bri_countries.csv").open(encoding="utf-8") as f:
        bri = {row["iso2"] for row in csv.DictReader(f)}
    for name in ("holder", "patent"):
        flags = load_form(name).choice_attribute("country", "belt_and_road")
        for code, flag in flags.items():
            if len(code) == 2:
                assert flag == ("yes" if code.upper() in bri else "no"), code
        assert flags["other_bri"] == "yes" and flags["other"] == "no"


def _workbook(tmp_path: Path, survey: list[list[str]], choices: list[list[str]] | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    if choices:
        sheet = book.create_sheet("choices")
        for row in choices:
            sheet.append(row)
    path = tmp_path / "form.xlsx"
    book.save(path)
    return path


def test_an_unclosed_repeat_is_refused_at_load_time(tmp_path):
    path = _workbook(tmp_path, [["type", "name", "label"], ["begin_repeat", "r", "R"], ["integer", "x", "X"]])
    with pytest.raises(FormError, match=r"row 2 \(r\): repeat 'r' is never closed"):
        load_form(path)


def test_an_expression_outside_the_subset_is_refused_at_load_time(tmp_path):
    path = _workbook(
        tmp_path,
        [["type", "name", "label", "constraint"], ["date", "d", "D", ". < today()"]],
    )
    with pytest.raises(FormError, match=r"survey row 2 \(d\): function today\(\)"):
        load_form(path)


def test_a_reference_to_an_unknown_field_is_refused_at_load_time(tmp_path):
    path = _workbook(
        tmp_path,
        [["type", "name", "label", "relevant"], ["integer", "x", "X", "${nope} = 'yes'"]],
    )
    with pytest.raises(FormError, match=r"refers to unknown \['nope'\]"):
        load_form(path)


def test_a_select_without_its_choice_list_is_refused(tmp_path):
    path = _workbook(tmp_path, [["type", "name", "label"], ["select_one colours", "c", "C"]])
    with pytest.raises(FormError, match="choice list 'colours' is not on the choices sheet"):
        load_form(path)
