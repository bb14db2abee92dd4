"""``patentreach survey demo`` prints the headline sentences."""

from __future__ import annotations

from typer.testing import CliRunner

from patentreach.cli.main import app

runner = CliRunner(env={"COLUMNS": "300"})


def test_survey_demo_prints_the_headlines(tmp_path, monkeypatch):
    from patentreach.survey import demo

    monkeypatch.setattr(
        demo,
        "run_survey_demo",
        lambda out, seed, web_submit=None: demo.survey_demo(
            out, seed, frame_size=6_000, sample_size=1_500, web_submit=web_submit, web_answers=50
        ).sentences,
    )
    result = runner.invoke(app, ["survey", "demo", "--out", str(tmp_path / "d"), "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "of enterprises that transferred or licensed patents abroad" in result.output
    assert (tmp_path / "d" / "headlines.md").exists()
