"""Fixtures for the reference-table tests: a user override folder, and clean caches around it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from patentreach.refdata import loader


@pytest.fixture
def override_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty ``PATENTREACH_REFDATA`` folder; caches are dropped before and after the test."""
    monkeypatch.setenv(loader.ENV_VAR, str(tmp_path))
    loader.reload()
    yield tmp_path
    monkeypatch.delenv(loader.ENV_VAR)
    loader.reload()


@pytest.fixture(autouse=True)
def _no_stray_override(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests see the packaged tables unless they ask for ``override_dir``."""
    monkeypatch.delenv(loader.ENV_VAR, raising=False)
    loader.reload()
    yield
    loader.reload()
