"""Small XLSForms with a repeat group, written as workbooks for the repeat tests."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

EN, ZH = "label::English (en)", "label::Chinese (zh)"
HEADER = ["type", "name", EN, ZH, "required", "relevant", "constraint", "constraint_message::English (en)",
          "choice_filter", "repeat_count", "calculation"]


def row(type_: str, name: str = "", en: str = "", zh: str = "", **cells: str) -> list[str]:
    values = {"type": type_, "name": name, EN: en, ZH: zh, **cells}
    return [values.get(column, "") for column in HEADER]


MARKETS = [
    row("text", "enterprise_id", "Enterprise ID", "企业编号", required="yes"),
    row("select_one yes_no", "exports", "Exports?", "是否出口", required="yes"),
    row("begin_repeat", "market", "Export market", "出口市场", relevant="${exports} = 'yes'"),
    row("select_one country", "country", "Country", "国家", required="yes"),
    row("decimal", "share", "Share of exports (%)", "占出口比重（%）", required="yes",
        constraint=". > 0 and . <= 100", **{"constraint_message::English (en)": "Between 0 and 100"}),
    row("select_one yes_no", "protected", "Patent in force there?", "是否有有效专利",
        relevant="${country} != 'other'"),
    row("end_repeat"),
    row("integer", "n_markets", "How many markets?", "市场数", constraint=". = count(${market})",
        **{"constraint_message::English (en)": "The number of markets listed"}),
]

CHOICES = [
    ["list_name", "name", EN, ZH],
    ["yes_no", "yes", "Yes", "是"],
    ["yes_no", "no", "No", "否"],
    ["country", "us", "United States", "美国"],
    ["country", "de", "Germany", "德国"],
    ["country", "other", "Other", "其他"],
]


def workbook(path: Path, survey: list[list[str]], name: str = "form.xlsx", form_id: str = "repeat_test") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(HEADER)
    for line in survey:
        sheet.append(line)
    choices = book.create_sheet("choices")
    for line in CHOICES:
        choices.append(line)
    settings = book.create_sheet("settings")
    settings.append(["form_id", "form_title", "version"])
    settings.append([form_id, "Repeat test", "1"])
    target = path / name
    book.save(target)
    return target
