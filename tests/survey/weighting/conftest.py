"""Fixtures: the reference API samples and one small run of ``survey demo`` shared by the module."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import shared_path


def reference(*parts: str) -> pd.DataFrame:
    """A file of the R reference set, ``cds`` (and ``key``) read as text."""
    return pd.read_csv(shared_path("reference", "survey", *parts), dtype={"cds": str, "key": str})


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``survey demo``'s files (frame.csv, sample_*.csv, survey.sqlite) on a 6,000-unit frame."""
    from patentreach.survey.demo import survey_demo

    out = tmp_path_factory.mktemp("weighting-demo")
    survey_demo(out, 7, frame_size=6_000, sample_size=1_500)
    return out


@pytest.fixture(scope="session")
def demo_files(demo_dir: Path) -> dict[str, pd.DataFrame]:
    """The demo's frame, samples, responses and its own analysis files, read as the CLI reads them."""
    from patentreach.survey.store import load_responses, open_store

    engine = open_store(demo_dir / "survey.sqlite")
    read = lambda name: pd.read_csv(demo_dir / name, dtype=str, keep_default_na=False)  # noqa: E731
    files = {
        "frame": read("frame.csv"),
        "sample": read("sample_enterprises.csv"),
        "patent_sample": read("sample_patents.csv"),
        "holder_answers": load_responses(engine, "holder"),
        "patent_answers": load_responses(engine, "patent"),
        "analysis_enterprises": pd.read_csv(demo_dir / "analysis_enterprises.csv", dtype={"enterprise_id": str}),
        "analysis_patents": pd.read_csv(demo_dir / "analysis_patents.csv", dtype={"patent_id": str}),
    }
    engine.dispose()
    return files
