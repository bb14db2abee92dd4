"""Deployment settings from the environment (every worker reads the same)."""

from __future__ import annotations

from pathlib import Path

import pytest

from patentreach.warehouse import Warehouse
from patentreach.web.config import ServeConfig


def test_settings_come_from_the_environment_unless_given(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATENTREACH_WEB_HTTPS_ONLY", "1")
    monkeypatch.setenv("PATENTREACH_WEB_RATE_LIMIT", "120")
    monkeypatch.setenv("PATENTREACH_WEB_MAX_UPLOAD_BYTES", "2000000")
    config = ServeConfig.for_warehouse(Warehouse(tmp_path / "wh"), tmp_path / "state")
    assert (config.https_only_cookies, config.rate_limit_per_minute, config.max_upload_bytes) == (True, 120, 2_000_000)
    given = ServeConfig.for_warehouse(Warehouse(tmp_path / "wh"), tmp_path / "state", rate_limit_per_minute=5)
    assert given.rate_limit_per_minute == 5


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("PATENTREACH_WEB_HTTPS_ONLY", "maybe", "$PATENTREACH_WEB_HTTPS_ONLY='maybe': expected 1 or 0"),
    ("PATENTREACH_WEB_RATE_LIMIT", "-5", "$PATENTREACH_WEB_RATE_LIMIT='-5': expected a whole number"),
])
def test_a_bad_setting_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable, value, message) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError) as refused:
        ServeConfig.for_warehouse(Warehouse(tmp_path / "wh"), tmp_path / "state")
    assert str(refused.value) == message
