"""Portfolio and export-market files are validated like any input: every problem names its row and
column, all are reported at once, and nothing is dropped."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook

from patentreach.protect import InputError, read_markets, read_portfolio
from tests.protect.builders import PORTFOLIO_HEADER, markets, portfolio


def test_every_problem_is_reported_with_its_row_and_column(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        PORTFOLIO_HEADER + "\n"
        "F1,2024-13-01,CN,pending,,,,,,,,,,,\n"
        "F2,2024-01-31,XX,granted,,,,,,,,,,,\n"
        "F3,2024-01-31,US,done,,,warp,,,,,,,,\n"
        "F4,2024-01-31,US,pending,,,pct,,,,,DE,,F04D,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_portfolio(path)
    assert caught.value.problems == [
        "p.csv, row 2, column priority_date: '2024-13-01' is not a date (YYYY-MM-DD)",
        "p.csv, row 3, column office: 'XX' is not a WIPO ST.3 office code",
        "p.csv, row 3, column grant_date: status granted needs the grant date",
        "p.csv, row 4, column route: 'warp' is not one of direct, ep, pct, regional",
        "p.csv, row 4, column status: 'done' is not one of expired, granted, lapsed, pending, refused, revoked, "
        "withdrawn",
        "p.csv, row 5, column validations: validations belong on a regional office's row (EP, EA, AP, OA, GC), not US",
        "p.csv, row 5, column pct_date: route pct needs the family's PCT filing date (pct_date, or a row with "
        "office WO)",
    ]


def test_a_missing_required_column_is_named(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("family,office\nF1,US\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_portfolio(path)
    assert caught.value.problems == [
        "p.csv, column priority_date: required column is missing",
        "p.csv, column status: required column is missing",
    ]


def test_family_values_repeated_on_rows_must_agree(tmp_path):
    with pytest.raises(InputError) as caught:
        portfolio(tmp_path, "F1,2024-01-31,CN,pending,,,,,,,,,,,", "F1,2024-02-01,US,pending,,,,,,,,,,,")
    assert caught.value.problems == [
        "portfolio.csv, row 3, column priority_date: 2024-02-01 differs from 2024-01-31 given for this family on row 2"
    ]


def test_a_wo_row_gives_the_family_its_pct_application(tmp_path):
    held = portfolio(tmp_path, "F1,2024-01-31,CN,pending,,2024-01-31,,,,,,,,,",
                     "F1,2024-01-31,WO,pending,PCT/CN2025/1,2025-01-30,,,,,,,,,")
    family = held.families["F1"]
    assert (family.pct_number, family.pct_date, family.home_office) == ("PCT/CN2025/1", date(2025, 1, 30), "CN")


def test_unknown_columns_are_kept_and_warned_about(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("family,priority_date,office,status,my notes\nF1,2024-01-31,CN,pending,ok\n", encoding="utf-8")
    assert read_portfolio(path).warnings == ("p.csv: column(s) my_notes not used (kept as given)",)


def test_an_xlsx_portfolio_with_spreadsheet_dates_reads_like_the_csv(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Family", "Priority Date", "Office", "Status", "Application Date", "Grant Date", "IPC"])
    sheet.append(["F1", date(2015, 6, 10), "US", "granted", date(2016, 6, 7), date(2018, 11, 6), "F16K 31/02"])
    sheet.append([None, None, None, None, None, None, None])
    path = tmp_path / "p.xlsx"
    book.save(path)
    family = read_portfolio(path).families["F1"]
    assert (family.priority_date, family.filings[0].grant_date, family.ipc) == (
        date(2015, 6, 10), date(2018, 11, 6), ("F16K 31/02",))


def test_export_markets_name_unknown_families_and_duplicates(tmp_path):
    held = portfolio(tmp_path, "F1,2024-01-31,CN,pending,,,,,,,,,,,")
    path = tmp_path / "e.csv"
    path.write_text(
        "product_line,country,export_value,families\n"
        "pumps,US,1000,F1;F9\n"
        "pumps,US,2000,\n"
        "pumps,ZZ,ten,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_markets(path, held.families)
    assert caught.value.problems == [
        "e.csv, row 2, column families: family 'F9' is not in the portfolio",
        "e.csv, row 3, column country: pumps / US is already on row 2",
        "e.csv, row 4, column country: 'ZZ' is not a current ISO 3166 alpha-2 country code",
        "e.csv, row 4, column export_value: 'ten' is not a number",
    ]


def test_a_star_names_every_family_of_the_portfolio(tmp_path):
    held = portfolio(tmp_path, "F1,2024-01-31,CN,pending,,,,,,,,,,,", "F2,2024-02-01,CN,pending,,,,,,,,,,,")
    found = markets(tmp_path, held, "pumps,US,,,,*")
    assert found.families == {"pumps": ("F1", "F2")}
