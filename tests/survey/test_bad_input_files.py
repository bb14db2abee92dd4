"""Every ``survey`` command, given a damaged file, stops with one line naming the file: exit 2.

The damaged files are made from real ones (the API sample of R's ``survey`` package, a frame,
responses and a sample drawn from them): re-encoded as Windows-1252, compressed into a binary,
renamed to ``.xlsx`` without being a workbook, emptied, stripped of a needed column, cut to the
header. No Python traceback, and the message names the file.
"""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.survey.synthetic import holder_answers, make_frame
from tests.conftest import shared_path

runner = CliRunner(env={"COLUMNS": "200"})


def _api_sample() -> Path:
    return shared_path("reference", "survey", "data", "apisrs.csv")


def _not_utf8(text: str, target: Path) -> None:
    """The file as Excel's "CSV (Windows)" saves it: an accented name in row 2 is not UTF-8."""
    lines = text.splitlines()
    first = lines[1].split(",")
    first[-1] = "Société Générale"
    lines[1] = ",".join(first)
    target.write_bytes("\n".join(lines).encode("cp1252"))


def _binary(text: str, target: Path) -> None:
    target.write_bytes(gzip.compress(text.encode("utf-8")))


def _empty(text: str, target: Path) -> None:
    target.write_bytes(b"")


def _header_only(text: str, target: Path) -> None:
    target.write_text(text.splitlines()[0] + "\n", encoding="utf-8")


DAMAGES: dict[str, Callable[[str, Path], None]] = {
    "not_utf8": _not_utf8,
    "binary": _binary,
    "empty": _empty,
    "header_only": _header_only,
}


def _without_column(text: str, column: str, target: Path) -> None:
    frame = pd.read_csv(pd.io.common.StringIO(text), dtype=str, keep_default_na=False)
    frame.drop(columns=[column]).to_csv(target, index=False)


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    """Valid files for every slot, made once per test."""
    data = tmp_path / "valid_data.csv"
    shutil.copyfile(_api_sample(), data)
    design = tmp_path / "design.yaml"
    design.write_text("fpc: [fpc]\n", encoding="utf-8")
    frame = make_frame(60, seed=5)
    frame.to_csv(tmp_path / "valid_frame.csv", index=False)
    holder_answers(frame, seed=5).to_csv(tmp_path / "valid_responses.csv", index=False)
    return {"data": data, "design": design, "frame": tmp_path / "valid_frame.csv",
            "responses": tmp_path / "valid_responses.csv", "sample": tmp_path / "valid_frame.csv"}


# slot -> (source of the valid text, the column the command needs, the command line with {bad} in the slot)
SLOTS: dict[str, tuple[str, str, Callable[[dict[str, Path], Path, Path], list[str]]]] = {
    "estimate DATA": ("data", "api00", lambda v, bad, out: [
        "survey", "estimate", str(bad), "-d", str(v["design"]), "-s", "mean:api00"]),
    "sample FRAME": ("frame", "size", lambda v, bad, out: [
        "survey", "sample", str(bad), "-n", "10", "-o", str(out / "s.csv")]),
    "import RESPONSES": ("responses", "size", lambda v, bad, out: [
        "survey", "import", str(bad), "--rejects", str(out / "r.csv")]),
    "import --sample": ("sample", "enterprise_id", lambda v, bad, out: [
        "survey", "import", str(v["responses"]), "--sample", str(bad), "--rejects", str(out / "r.csv")]),
}


def _assert_one_line_naming(result, bad: Path) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.output
    assert bad.name in lines[0], lines[0]


@pytest.mark.parametrize("damage", [*DAMAGES, "xlsx_not_zip", "missing_column"])
@pytest.mark.parametrize("slot", list(SLOTS))
def test_a_damaged_input_is_one_line_naming_the_file_and_exit_2(slot, damage, inputs, tmp_path):
    source, column, command = SLOTS[slot]
    text = inputs[source].read_text(encoding="utf-8")
    if damage == "xlsx_not_zip":
        bad = tmp_path / "damaged.xlsx"
        bad.write_text(text, encoding="utf-8")  # a CSV renamed to .xlsx
    elif damage == "missing_column":
        bad = tmp_path / "damaged.csv"
        _without_column(text, column, bad)
    else:
        bad = tmp_path / "damaged.csv"
        DAMAGES[damage](text, bad)
    result = runner.invoke(app, command(inputs, bad, tmp_path))
    _assert_one_line_naming(result, bad)


@pytest.mark.parametrize("damage", ["not_utf8", "binary", "empty"])
def test_a_damaged_design_file_is_one_line_naming_it(damage, inputs, tmp_path):
    bad = tmp_path / "damaged.yaml"
    DAMAGES[damage]("fpc: [fpc]\nstrata: Société\n", bad)
    result = runner.invoke(app, ["survey", "estimate", str(inputs["data"]), "-d", str(bad), "-s", "mean:api00"])
    if damage == "empty":  # an empty design is a valid design: every unit weight 1, one stratum
        assert result.exit_code == 0, result.output
        return
    _assert_one_line_naming(result, bad)


@pytest.mark.parametrize("damage", ["not_a_zip", "binary", "empty", "no_survey_sheet"])
def test_a_damaged_xlsform_is_one_line_naming_it(damage, tmp_path):
    from openpyxl import Workbook

    bad = tmp_path / "form.xlsx"
    if damage == "not_a_zip":
        bad.write_text("type,name,label\ninteger,age,Age\n", encoding="utf-8")
    elif damage == "binary":
        bad.write_bytes(gzip.compress(b"type,name,label\n"))
    elif damage == "empty":
        bad.write_bytes(b"")
    else:
        book = Workbook()
        book.active.title = "choices"
        book.save(bad)
    result = runner.invoke(app, ["survey", "form", str(bad)])
    _assert_one_line_naming(result, bad)


@pytest.mark.parametrize("command", ["estimate", "sample", "import", "demo", "form"])
def test_an_output_that_cannot_be_written_is_one_line_naming_it(command, inputs, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder", encoding="utf-8")
    target = blocker / "out.csv"  # a path under a regular file: no folder can be made there
    args = {
        "estimate": ["survey", "estimate", str(inputs["data"]), "-d", str(inputs["design"]), "-s", "mean:api00",
                     "--out", str(target)],
        "sample": ["survey", "sample", str(inputs["frame"]), "-n", "30", "--minimum", "1", "-o", str(target)],
        "import": ["survey", "import", str(inputs["responses"]), "--rejects", str(target)],
        "demo": ["survey", "demo", "--out", str(blocker / "demo")],
        "form": ["survey", "form", "holder", "--xform", str(blocker / "form.xml")],
    }[command]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and str(blocker) in lines[0], result.output
    assert "Traceback" not in result.output


def test_unknown_strata_columns_and_languages_name_the_choices(inputs, tmp_path):
    result = runner.invoke(app, ["survey", "sample", str(inputs["frame"]), "-n", "30", "-o", str(tmp_path / "s.csv"),
                                 "--strata", "size,regoin"])
    assert result.exit_code == 2
    assert (f"error: {inputs['frame']}: --strata names columns ['regoin'] that are not in the frame (columns: "
            "enterprise_id, sector, size, region, industry, patents)") in result.output
    result = runner.invoke(app, ["survey", "form", "holder", "--language", "fr"])
    assert result.exit_code == 2
    assert "error: --language 'fr' is not one of en, zh" in result.output


@pytest.mark.parametrize("slot", list(SLOTS))
def test_a_file_over_the_records_limit_is_refused_naming_the_limit(slot, inputs, tmp_path, monkeypatch):
    from patentreach.sources import limits

    monkeypatch.setenv(limits.ENVIRONMENT_VARIABLE, "max_records_per_file=5")
    monkeypatch.setattr(limits, "_current", None)
    source, _, command = SLOTS[slot]
    result = runner.invoke(app, command(inputs, inputs[source], tmp_path))
    assert result.exit_code == 2, result.output
    [line] = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert line == (f"error: {inputs[source]}: more than 5 rows, over the limit max_records_per_file "
                    "(lift it with PATENTREACH_LIMITS=max_records_per_file=N)")


def test_a_workbook_that_inflates_past_the_compression_limit_is_refused_before_reading(inputs, tmp_path):
    import zipfile

    bad = tmp_path / "responses.xlsx"
    with zipfile.ZipFile(bad, "w", compression=zipfile.ZIP_DEFLATED) as archive, \
            archive.open("xl/worksheets/sheet1.xml", "w") as member:
        for _ in range(100):  # 100 MB of zeros from about 100 kB
            member.write(b"\0" * (1 << 20))
    result = runner.invoke(app, ["survey", "import", str(bad), "--rejects", str(tmp_path / "r.csv")])
    assert result.exit_code == 2, result.output
    [line] = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert line.startswith(f"error: {bad}: compressed ") and "over the limit max_compression_ratio=200" in line
