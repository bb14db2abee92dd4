"""``patentreach survey form``: the form as a reviewer reads it, and its XForm."""

from __future__ import annotations

from typer.testing import CliRunner

from patentreach.cli.main import app

runner = CliRunner(env={"COLUMNS": "240"})


def test_form_lists_questions_with_skip_logic_and_writes_the_xform(tmp_path):
    xml = tmp_path / "holder.xml"
    result = runner.invoke(app, ["survey", "form", "holder", "--xform", str(xml)])
    assert result.exit_code == 0, result.output
    assert "patentreach_enterprise_holder 2021.3" in result.output
    assert "protected_markets" in result.output
    assert "${export_protection} = 'some'" in result.output
    assert xml.read_text(encoding="utf-8").startswith("<?xml")


def test_form_shows_chinese_labels_on_request():
    result = runner.invoke(app, ["survey", "form", "patent", "--language", "zh"])
    assert result.exit_code == 0, result.output
    assert "专利类型" in result.output


def test_an_unknown_form_is_a_clear_error():
    result = runner.invoke(app, ["survey", "form", "nope.xlsx"])
    assert result.exit_code == 2
    assert "nope.xlsx: no such form" in result.output.replace("\n", "")
