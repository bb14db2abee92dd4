"""docs/survey-estimation.md keeps up with the code: every key, method and option is documented."""

from __future__ import annotations

import pytest

from patentreach.survey.design import (
    _CALIBRATION_KEYS,
    _DESIGN_KEYS,
    _REPLICATE_KEYS,
    CALIBRATION_METHODS,
    LONELY_PSU,
    REPLICATE_TYPES,
)
from patentreach.survey.estimate import COLUMNS, KINDS
from patentreach.survey.intervals import PROPORTION_METHODS
from tests.conftest import REPO

DOC = (REPO / "docs" / "survey-estimation.md").read_text(encoding="utf-8")

NAMES = sorted(
    (_DESIGN_KEYS - {"id"})
    | _REPLICATE_KEYS
    | _CALIBRATION_KEYS
    | set(CALIBRATION_METHODS)
    | set(LONELY_PSU)
    | set(REPLICATE_TYPES)
    | set(PROPORTION_METHODS)
    | set(COLUMNS)
)


@pytest.mark.parametrize("name", NAMES)
def test_every_design_key_method_and_column_is_documented(name: str) -> None:
    assert f"`{name}`" in DOC, f"docs/survey-estimation.md does not mention `{name}`"


@pytest.mark.parametrize("kind", KINDS)
def test_every_statistic_kind_is_documented(kind: str) -> None:
    assert f"`{kind}:" in DOC
