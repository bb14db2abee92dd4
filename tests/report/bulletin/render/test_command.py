"""``patentreach bulletin``: what it writes and says, and one-line errors (exit 2) for a bad
configuration, a bad template, a missing warehouse or survey store, an unknown language."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.report.bulletin.figures import figure_rows, to_csv_text
from patentreach.report.bulletin.render import translate
from patentreach.warehouse import Warehouse
from tests.report.bulletin.render.fake import figure

runner = CliRunner(env={"COLUMNS": "200", "PATENTREACH_DEBUG": ""})
PINNED = ["--generated-at", "2022-06-01T00:00:00Z"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty warehouse: the headlines section alone is configured, and is left out on it."""
    target = Warehouse(tmp_path_factory.mktemp("bulletin") / "wh")
    target.create()
    return target.root


@pytest.fixture(scope="module")
def headlines_only(warehouse: Path) -> Path:
    path = warehouse.parent / "bulletin.yaml"
    path.write_text("sections:\n  - headlines\n", encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["bulletin", *args])
    return result.exit_code, result.stdout, result.stderr


def test_it_writes_the_pages_and_figures_and_says_what_it_left_out(warehouse: Path, headlines_only: Path,
                                                                   tmp_path: Path) -> None:
    code, out, err = run("--warehouse", str(warehouse), "--config", str(headlines_only), "--no-pdf",
                         "--out", str(tmp_path), *PINNED)
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bulletin.en.html", "bulletin.zh.html", "figures.csv",
                                                          "figures.json"]
    assert str(tmp_path / "bulletin.zh.html") in out
    assert ("note: left out: headlines: No section with a headline figure could be built from these inputs."
            in err.splitlines())
    page = (tmp_path / "bulletin.en.html").read_text(encoding="utf-8")
    assert "Generated at 2022-06-01T00:00:00Z" in page and "--generated-at 2022-06-01T00:00:00Z" in page


@pytest.mark.parametrize(("args", "expected"), [
    (["--lang", "zh,fr"], "error: --lang 'fr' is not a bulletin language; choose from zh, en"),
    (["--generated-at", "June"], "error: --generated-at 'June' is not an ISO 8601 time (e.g. 2022-06-01T00:00:00Z)"),
])
def test_a_bad_value_is_one_line_and_exit_2(warehouse: Path, tmp_path: Path, args: list[str], expected: str) -> None:
    code, _, err = run("--warehouse", str(warehouse), "--out", str(tmp_path / "out"), *args)
    assert (code, err.strip()) == (2, expected)


def test_a_missing_warehouse_or_survey_store_is_one_line(warehouse: Path, tmp_path: Path) -> None:
    code, _, err = run("--warehouse", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert code == 2 and err.strip() == f"error: {tmp_path / 'nowhere'}: no warehouse here (run `patentreach " \
        "ingest` or `patentreach synth` first, or give --warehouse DIR)"
    code, _, err = run("--warehouse", str(warehouse), "--survey", str(tmp_path / "survey.sqlite"),
                       "--out", str(tmp_path / "out"))
    assert code == 2 and err.startswith(f"error: {tmp_path / 'survey.sqlite'}: no survey store here")
    assert not (tmp_path / "survey.sqlite").exists()  # not created empty by asking


def test_a_bad_configuration_names_its_line(warehouse: Path, tmp_path: Path) -> None:
    config = tmp_path / "bulletin.yaml"
    config.write_text("sections:\n  - headlines\n  - ofices\n", encoding="utf-8")
    code, _, err = run("--warehouse", str(warehouse), "--config", str(config), "--out", str(tmp_path / "out"))
    assert code == 2
    assert err.strip().startswith(f"error: {config}, line 3: unknown section 'ofices'")
    assert not (tmp_path / "out").exists()


def test_a_bad_template_names_its_file_and_line(warehouse: Path, headlines_only: Path, tmp_path: Path) -> None:
    (tmp_path / "bulletin.html").write_text("<html>\n<body>\n<p>{% if title %}</p>\n<p>{% endfor %}</p>\n</html>\n",
                                            encoding="utf-8")
    code, _, err = run("--warehouse", str(warehouse), "--config", str(headlines_only), "--templates", str(tmp_path),
                       "--no-pdf", "--out", str(tmp_path / "out"))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith(f"error: {tmp_path / 'bulletin.html'}, line 4: ")
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_figures_csv_neutralises_spreadsheet_formulas() -> None:
    rows = figure_rows([figure("offices.total.2021", 46_000, "documents", label="=cmd|' /C calc'!A0")], translate)
    (cells,) = list(csv.DictReader(io.StringIO(to_csv_text(rows))))
    assert cells["label_en"] == "'=cmd|' /C calc'!A0" and cells["label_zh"] == "'=cmd|' /C calc'!A0"
    assert cells["value"] == "46000" and cells["unit"] == "documents"
