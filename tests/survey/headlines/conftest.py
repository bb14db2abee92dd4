"""One small synthetic survey shared by the headline tests (6,000 enterprises, 1,500 sampled)."""

from __future__ import annotations

import pytest

from patentreach.survey.demo import survey_demo


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory):
    return survey_demo(tmp_path_factory.mktemp("headline-demo"), seed=2021, frame_size=6_000, sample_size=1_500)
