"""The foundation commands as a user runs them: ingest, info, query, demo."""

from __future__ import annotations

import json
import re
from functools import partial

from typer.testing import CliRunner

from patentreach.cli.main import app
from tests.conftest import shared_path

runner = CliRunner(env={"COLUMNS": "200"})


def test_ingest_prints_per_file_counts_and_totals(tmp_path):
    folder = shared_path("data", "uspto-grant-xml", "ipg-weekly-samples")
    result = runner.invoke(app, ["ingest", str(folder), "--warehouse", str(tmp_path / "wh"), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "ipg060103.small.xml" in result.output
    assert "8 files" in result.output
    assert re.search(r"8 files\s*│.*│\s+374 │\s+371 │\s+0 │\s+3 │", result.output)


def test_ingest_exits_0_all_ingested_1_some_failed_2_nothing_could_start(tmp_path):
    junk = tmp_path / "junk.xml"
    junk.write_text("<not-a-patent/>")
    good = shared_path("data", "uspto-grant-xml", "ipgb-biblio", "ipgb20230404.xml")
    mixed = runner.invoke(app, ["ingest", str(junk), str(good), "--warehouse", str(tmp_path / "a")])
    assert mixed.exit_code == 1  # the good file is ingested, but not everything was
    assert "ipgb20230404.xml │ uspto-grant-xml │ ingested" in mixed.output
    assert f"error: {junk}: no reader recognises this content" in mixed.output.replace("\n", "")
    only_bad = runner.invoke(app, ["ingest", str(junk), "--warehouse", str(tmp_path / "b")])
    assert only_bad.exit_code == 1
    missing = runner.invoke(app, ["ingest", str(tmp_path / "nope.xml"), "--warehouse", str(tmp_path / "c")])
    assert missing.exit_code == 2
    assert "nope.xml: no such file or directory" in missing.output.replace("\n", "")


def test_warehouse_location_comes_from_patentreach_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PATENTREACH_HOME", str(tmp_path / "home"))
    good = shared_path("data", "uspto-grant-xml", "ipgb-biblio", "ipgb20230404.xml")
    assert runner.invoke(app, ["ingest", str(good)]).exit_code == 0
    assert (tmp_path / "home" / "ingest_log").is_dir()
    assert (tmp_path / "home" / "warehouse.duckdb").is_file()


def test_query_returns_json_rows(tmp_path):
    wh = str(tmp_path / "wh")
    runner.invoke(app, ["ingest", str(shared_path("data", "uspto-grant-xml", "ipgb-biblio")), "--warehouse", wh])
    result = runner.invoke(
        app,
        ["query", "SELECT doc_type, count(*) AS n FROM publications GROUP BY 1 ORDER BY 1",
         "--warehouse", wh, "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {"doc_type": "design", "n": 3},
        {"doc_type": "invention_grant", "n": 6},
        {"doc_type": "plant", "n": 1},
        {"doc_type": "reissue", "n": 3},
    ]
    bad = runner.invoke(app, ["query", "SELECT nope FROM publications", "--warehouse", wh])
    assert bad.exit_code == 2
    assert "error:" in bad.output


def test_info_shows_counts_by_office_type_and_year_and_the_ingest_log(tmp_path):
    wh = str(tmp_path / "wh")
    runner.invoke(app, ["ingest", str(shared_path("data", "uspto-grant-xml", "quirks")), "--warehouse", wh])
    runner.invoke(app, ["ingest", str(shared_path("data", "uspto-grant-xml", "ipgb-biblio")), "--warehouse", wh])
    result = runner.invoke(app, ["info", "--warehouse", wh, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "publications,parties,classifications,priorities,quarantined,warnings,transfers,files" in result.output
    assert "US,invention_grant,6" in result.output
    assert "2022,9\n2023,4" in result.output
    assert "malformed-mathml.XML,uspto-grant-xml,1,0,1,0,0" in result.output


def test_demo_runs_without_shared_data(tmp_path, monkeypatch):
    import patentreach.report.demo as report_demo
    from patentreach.report.bulletin.demo import bulletin_demo
    from patentreach.survey.demo import run_survey_demo

    # The whole demo runs; its survey at a tenth of the national sizes and its bulletin without the
    # PDF (tests/survey/test_demo_survey.py checks the national survey, tests/report/bulletin the PDF).
    monkeypatch.setattr(report_demo, "run_survey_demo", partial(run_survey_demo, frame_size=6_000,
                                                                sample_size=1_500, web_answers=30))
    monkeypatch.setattr(report_demo, "bulletin_demo", partial(bulletin_demo, pdf=False))
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "demo"), "--grants", "120", "--publications", "60000"])
    assert result.exit_code == 0, result.output
    headline = re.search(r"by Chinese enterprises: ([\d,]+) in 2021, ([+-][\d.]+)% year on year", result.output)
    assert headline, result.output
    assert int(headline.group(1).replace(",", "")) == _cn_enterprise_grants_abroad(tmp_path / "demo", 2021) > 0
    assert "ipg-synthetic.xml" in result.output
    assert re.search(r"ipg-synthetic.xml .*│\s+122 │\s+120 │\s+1 │\s+1 │", result.output)
    # it ends by saying how to open the dashboard on the warehouse it wrote
    served = (tmp_path / "demo" / "synthetic-warehouse").resolve()
    assert f"patentreach serve --warehouse {served}" in result.output.replace("\n", "")
    assert "http://127.0.0.1:8000/" in result.output


def _cn_enterprise_grants_abroad(demo_dir, year: int) -> int:
    """The demo's headline, computed independently in plain SQL over the synthetic warehouse."""
    import duckdb

    from patentreach.refdata.country_groups import members

    tables = demo_dir / "synthetic-warehouse" / "tables"
    offices = ", ".join(f"'{o}'" for o in sorted(members("major_offices")) if o != "CN")
    return duckdb.connect().execute(f"""
        SELECT count(*) FROM read_parquet('{tables}/publications/*.parquet') p
        JOIN read_parquet('{demo_dir}/synthetic-warehouse/derived/origin_shares/*.parquet') o USING (pub_id)
        WHERE o.rule = 'first_applicant' AND o.country = 'CN' AND o.sector = 'company'
          AND p.doc_type = 'invention_grant' AND p.office IN ({offices}) AND year(p.pub_date) = {year}
    """).fetchone()[0]
