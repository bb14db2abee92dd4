"""docs/protect.md describes every route, every deadline rule, every option of the command and
every column of the two input files."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from patentreach.cli.main import app
from patentreach.protect import markets, portfolio
from patentreach.protect.routes import ROUTE_NAMES
from patentreach.refdata.deadline_rules import deadline_rules
from tests.conftest import REPO

DOC = (REPO / "docs" / "protect.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_every_route_is_documented(name):
    assert f"`{name}`" in DOC


@pytest.mark.parametrize("rule", sorted(deadline_rules()))
def test_every_deadline_rule_is_documented(rule):
    assert f"`{rule}`" in DOC


@pytest.mark.parametrize("column", [*portfolio.REQUIRED, *portfolio.OPTIONAL, *markets.REQUIRED, *markets.OPTIONAL])
def test_every_input_column_is_documented(column):
    assert f"`{column}`" in DOC


def test_every_option_of_protect_gaps_is_documented():
    help_text = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["protect", "gaps", "--help"]).output
    options = set(re.findall(r"(--[a-z][a-z-]+)", help_text)) - {"--help"}
    assert options >= {"--portfolio", "--entity", "--exports", "--as-of", "--format", "--out", "--fees"}
    for option in options:
        assert f"`{option}" in DOC, option
