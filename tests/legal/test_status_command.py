"""``patentreach status``: the rows and the events behind them, in a table, CSV or JSON
(the command is registered by cli/main.py; here it runs in its own Typer app)."""

from __future__ import annotations

import csv
import io
import json

import pytest
import typer
from typer.testing import CliRunner

from patentreach.cli.status import status

app = typer.Typer()
app.command()(status)


@pytest.fixture(scope="module")
def run(patstat_legal_warehouse):
    def invoke(*args: str):
        return CliRunner().invoke(app, [*args, "--warehouse", str(patstat_legal_warehouse.root)],
                                  env={"COLUMNS": "250"})
    return invoke


def test_table_shows_status_expiry_reason_and_the_deciding_events(run) -> None:
    result = run("US9648662B2", "--as-of", "2026-12-07")
    assert result.exit_code == 0, result.output
    assert "Legal status of US9648662B2 on 2026-12-07 (1 application(s))" in result.output
    assert "in_force" in result.output and "2017-05-09" in result.output and "2031-06-23" in result.output
    assert "US STCF" in result.output and "status: patented case" in result.output


def test_json_lists_every_state_row_of_an_ep_patent_with_its_events(run) -> None:
    result = run("EP-2400812-B1", "--as-of", "2026-12-07", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 38
    gb = next(r for r in rows if r["office"] == "GB")
    assert (gb["via"], gb["status"], gb["since"], gb["expiry"]) == ("EP", "in_force", "2019-11-27", "2030-06-24")
    assert [e["code"] for e in gb["events"]] == ["FG4D", "PGFP"]


def test_csv_has_one_row_per_status_and_chinese_labels_on_request(run) -> None:
    result = run("CA2744162", "--as-of", "2026-12-07", "--format", "csv", "--lang", "zh")
    assert result.exit_code == 0, result.output
    [row] = list(csv.DictReader(io.StringIO(result.output)))
    assert (row["status"], row["since"], row["events"]) == ("withdrawn", "2017-06-23", "2017-06-23 CA FZDE withdrawn")
    json_result = run("CA2744162", "--as-of", "2026-12-07", "--format", "json", "--lang", "zh")
    assert json.loads(json_result.output)[0]["events"][0]["label"] == "已终止（申请失效）"


def test_an_unknown_publication_is_one_line_naming_it(run) -> None:
    result = run("XX123", "--as-of", "2026-12-07")
    assert result.exit_code == 2
    assert "publication 'XX123': no publication or application with that number in the warehouse" in result.output
    assert "Traceback" not in result.output


def test_a_bad_date_is_one_line(run) -> None:
    result = run("CA2744162", "--as-of", "7/12/2026")
    assert result.exit_code == 2
    assert "--as-of '7/12/2026': not a date (YYYY-MM-DD)" in result.output
