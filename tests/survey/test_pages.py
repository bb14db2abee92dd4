"""The web questionnaire's page model against the response import: the relevance the page shows is
the relevance the import applies (500 rows of the demo's keyed-in holder answers, mistakes and
deliberate skip-logic breaches included); choice filters, calculated fields and page issues."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from patentreach.survey import synthetic
from patentreach.survey.fieldwork import Invitation
from patentreach.survey.instrument import pages
from patentreach.survey.instrument.form import load_form
from patentreach.survey.responses import import_responses

ROWS = 500
SEED = 2021


@pytest.fixture(scope="module")
def holder():
    return load_form("holder")


@pytest.fixture(scope="module")
def demo_rows(holder) -> pd.DataFrame:
    """The demo's holder answers for 500 enterprises, spoiled as the demo spoils them (36 rows),
    plus 30 answers to questions the skip logic closed (foreign_patents when holds_foreign=no,
    license_in_countries when license_in_abroad is not yes)."""
    frame = synthetic.make_frame(3000, SEED)
    answers = synthetic.holder_answers(frame.iloc[:ROWS], SEED, holder)
    answers = synthetic.spoil(answers, 36, SEED).reset_index(drop=True)
    closed = answers.index[answers["holds_foreign"] == "no"][:15]
    answers.loc[closed, "foreign_patents"] = "3"
    shut = answers.index[answers["license_in_abroad"] != "yes"][:15]
    answers.loc[shut, "license_in_countries"] = "us"
    answers.index = pd.RangeIndex(2, ROWS + 2)  # spreadsheet rows, as a file import numbers them
    return answers


def test_pages_are_the_top_level_groups(holder):
    lay = pages.layout(holder)
    assert [p.name for p in lay.pages] == ["", "profile", "patents", "transfer", "export", "tech_import",
                                           "ip_management"]
    assert [f.name for f in lay.pages[0].fields] == ["intro"]  # outside any group: a page of its own
    asked = tuple(n for n in lay.pages[4].answer_names if not n.startswith("market_"))  # plus the market_<n>_ columns
    assert asked == ("exports", "export_share_pct", "export_markets", "export_protection",
                     "protected_markets", "no_protection_reason", "overseas_dispute")
    assert lay.pages[1].label("zh") == "一、企业基本情况"
    assert lay.pages[1].label("en") == "A. Enterprise profile"
    assert lay.page_of("rd_staff") == 1
    assert lay.group_label("export_detail", "en") == "Export markets"
    assert lay.extras["size"].hint("zh") == "按国家统计局大中小微型企业划分办法"
    # every answer field is on exactly one page
    assert sorted(n for p in lay.pages for n in p.answer_names) == sorted(f.name for f in holder.answers)


def test_relevance_equals_the_import_on_500_demo_rows(holder, demo_rows):
    result = import_responses(demo_rows, holder)
    flagged = {(i.row, i.column) for i in result.issues if i.rule == "relevance"}
    problems = {}
    for i in result.issues:
        problems.setdefault(i.row, set()).add(i.column)
    typed = result.accepted.set_index("_row")
    mine = set()
    suppressed = 0
    for row, answers in zip(demo_rows.index, demo_rows.to_dict("records"), strict=True):
        state = pages.evaluate(holder, answers)
        for f in holder.answers:
            if answers[f.name] != "" and not state.relevant[f.name]:
                reads = {name for condition in f.relevant for name in condition.references}
                if reads & problems.get(row, set()):
                    suppressed += 1  # the import does not report a consequence of an invalid answer
                    continue
                mine.add((row, f.name))
            # the import's typed answer is blank wherever the page hides the question
            if not state.relevant[f.name] and row in typed.index:
                assert pd.isna(typed.at[row, f.name])
    assert mine == flagged
    # the 30 added, and the demo's spoiled answers to closed questions, counted from the data
    demo_own = ((demo_rows["export_share_pct"] != "") & (demo_rows["exports"] != "yes")).sum() + (
        (demo_rows["transfer_out_countries"] != "") & (demo_rows["transfer_out_abroad"] != "yes")).sum()
    assert len(flagged) == 30 + demo_own == 38
    assert suppressed == 0


def test_relevance_is_blank_after_an_invalid_answer(holder):
    # 'about' is not a choice: for later conditions the answer is blank, as in the import
    state = pages.evaluate(holder, {"holds_foreign": "about", "exports": "yes", "export_protection": "none"})
    assert state.relevant["foreign_patents"] is False
    assert state.relevant["export_share_pct"] is True
    assert state.relevant["protected_markets"] is False
    assert state.relevant["no_protection_reason"] is True
    state = pages.evaluate(holder, {"exports": "no", "export_protection": "none"})
    assert state.relevant["no_protection_reason"] is False  # its group's condition fails


def test_choice_filter_lets_through_the_chosen_markets(holder):
    state = pages.evaluate(holder, {"exports": "yes", "export_markets": "us de ru", "export_protection": "some"})
    assert state.allowed["protected_markets"] == ("us", "de", "ru")  # the choice list's order
    assert [n for n in holder.choice_names("country") if n in ("us", "de", "ru")] == ["us", "de", "ru"]
    assert pages.evaluate(holder, {"exports": "yes"}).allowed["protected_markets"] == ()


def _invitation(form_id: str, enterprise_id: str) -> Invitation:
    return Invitation("t", form_id, enterprise_id, enterprise_id, None, {"enterprise_id": enterprise_id}, {},
                      "opened", None, 0)


def test_page_issues_are_the_imports_and_irrelevant_answers_are_dropped(holder, demo_rows):
    row = demo_rows.iloc[0].to_dict()
    invitation = _invitation(holder.form_id, row["enterprise_id"])
    assert pages.issues(holder, invitation, row) == []
    bad = {**row, "rd_staff": str(int(row["employees"]) + 1), "ip_budget_kcny": "-1"}
    assert [(i.column, i.rule) for i in pages.issues(holder, invitation, bad, page=1)] == [("rd_staff", "constraint")]
    assert [(i.column, i.rule) for i in pages.issues(holder, invitation, bad)] == [
        ("rd_staff", "constraint"), ("ip_budget_kcny", "constraint")]
    assert "R&D staff cannot exceed employees" in pages.issues(holder, invitation, bad, page=1)[0].message
    # an answer the skip logic closed is dropped (ODK's rule), not a problem on the web
    closed = {**row, "holds_foreign": "no", "foreign_patents": "4"}
    assert pages.cleaned(holder, closed)["foreign_patents"] == ""
    assert pages.issues(holder, invitation, closed) == []
    blank = {**row, "size": ""}
    assert [(i.column, i.rule) for i in pages.issues(holder, invitation, blank, page=1)] == [("size", "required")]
    assert pages.issues(holder, invitation, blank, page=2) == []  # another page's problem is not shown


def _calculating_form(path: Path) -> Path:
    """A small XLSForm with a calculate field, a hint and a field outside any group."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label::English (en)", "label::Chinese (zh)", "hint::English (en)",
                   "relevant", "calculation", "required"])
    rows = [
        ["text", "enterprise_id", "Enterprise", "企业", "", "", "", "yes"],
        ["begin_group", "money", "Money", "经费", "", "", "", ""],
        ["decimal", "budget", "Budget", "经费", "Thousand yuan", "", "", "yes"],
        ["decimal", "spent", "Spent", "支出", "", "", "", ""],
        ["calculate", "share", "", "", "", "", "${spent} div ${budget}", ""],
        ["note", "over", "Over budget", "超支", "", "${spent} > ${budget}", "", ""],
        ["end_group", "money", "", "", "", "", "", ""],
    ]
    for row in rows:
        survey.append(row)
    settings = book.create_sheet("settings")
    settings.append(["form_id", "form_title"])
    settings.append(["calc_test", "Calc"])
    book.create_sheet("choices").append(["list_name", "name", "label::English (en)"])
    target = path / "calc.xlsx"
    book.save(target)
    return target


def test_calculated_fields_and_notes(tmp_path):
    form = load_form(_calculating_form(tmp_path))
    lay = pages.layout(form)
    assert [(p.name, [f.name for f in p.fields]) for p in lay.pages] == [
        ("", ["enterprise_id"]), ("money", ["budget", "spent", "share", "over"])]
    assert lay.extras["budget"].hint("en") == "Thousand yuan"
    state = pages.evaluate(form, {"budget": "200", "spent": "250"})
    assert state.calculated == {"share": "1.25"}
    assert state.relevant["over"] is True
    assert pages.evaluate(form, {"budget": "200", "spent": "50"}).relevant["over"] is False
    assert pages.evaluate(form, {"budget": "", "spent": "50"}).calculated == {"share": "NaN"}
    assert np.isclose(float(pages.evaluate(form, {"budget": "3", "spent": "1"}).calculated["share"]), 1 / 3)
