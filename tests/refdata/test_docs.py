"""docs/refdata.md describes every table, group and the override variable."""

from __future__ import annotations

import pytest

from patentreach.refdata import loader
from patentreach.refdata.country_groups import group_names
from tests.conftest import REPO

DOC = (REPO / "docs" / "refdata.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", loader.table_names())
def test_every_table_is_documented_with_its_file(name: str) -> None:
    assert f"`{name}`" in DOC
    assert loader.table_spec(name).filename in DOC


@pytest.mark.parametrize("group", group_names())
def test_every_group_is_documented(group: str) -> None:
    assert f"`{group}`" in DOC


def test_override_variable_is_documented() -> None:
    assert loader.ENV_VAR in DOC
