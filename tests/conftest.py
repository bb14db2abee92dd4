"""Shared fixtures. Tests read the real sample files from ``../shared`` (beside the repository);
they are never copied into the project."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Rich sizes tables from COLUMNS when output is not a terminal (as in CI): make it wide enough that
# file names and counts are never folded, before any CLI module creates its consoles.
os.environ["COLUMNS"] = "200"
# Compiled indicator queries are kept on disk (``indicators.query_store``): the suite keeps its own,
# not the user's ``~/.cache/patentreach/queries``.
os.environ.setdefault("PATENTREACH_QUERY_CACHE", tempfile.mkdtemp(prefix="patentreach-queries-"))

pytest_plugins = ["tests.warehouse_fixtures"]
"""Session warehouses shared across test folders (built once, not once per importing conftest)."""

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ``../shared``; fails the test with a clear message if it is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.fail(
            f"{path} is missing: the tests need the shared sample data beside the repository "
            f"(expected at {SHARED}); see ../shared/README.md",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    return shared_path()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return shared_path("data")


@pytest.fixture(scope="session")
def shared_reference() -> Path:
    return shared_path("reference")
