"""docs/survey.md stays in step with the code: functions, rules, commands, forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.survey.instrument import BUNDLED_FORMS, load_form
from patentreach.survey.xpath_subset import SUPPORTED_FUNCTIONS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "survey.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("function", sorted(SUPPORTED_FUNCTIONS))
def test_every_supported_xpath_function_is_documented(function):
    assert f"`{function}`" in DOC


@pytest.mark.parametrize(
    "rule",
    ["relevance", "required", "type", "choice", "choice_filter", "constraint", "duplicate", "sample", "empty_row"],
)
def test_every_import_rule_is_documented(rule):
    assert re.search(rf"\| `{rule}` \|", DOC)


@pytest.mark.parametrize("command", ["form", "sample", "import", "demo", "invite", "remind", "status", "close",
                                     "weight", "headlines", "records", "export", "codebook"])
def test_every_survey_command_and_its_options_are_documented(command):
    assert f"`patentreach survey {command}" in DOC
    help_text = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["survey", command, "--help"]).output
    for option in set(re.findall(r"(--[a-z][a-z-]+)", help_text)) - {"--help"}:
        assert option in DOC, f"{command} {option}"


@pytest.mark.parametrize("name", BUNDLED_FORMS)
def test_each_form_is_documented_with_its_id_and_question_count(name):
    form = load_form(name)
    assert f"`{form.form_id}`" in DOC
    assert re.search(rf"`{form.form_id}` \| [^|]+ \| {len(form.answers)} \|", DOC)
