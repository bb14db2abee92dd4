"""The throwaway PostgreSQL server itself: loopback only, a real server, and a clear skip reason
where the binaries are missing."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from tests.survey.fieldwork import postgres


def test_the_server_listens_on_loopback_only_and_runs_as_a_non_root_user(postgresql_cluster):
    engine = create_engine(postgres.new_database(postgresql_cluster, with_tables=False))
    with engine.connect() as conn:
        assert conn.execute(text("SHOW listen_addresses")).scalar() == "127.0.0.1"
        assert conn.execute(text("SELECT current_setting('server_version_num')::int")).scalar() >= 130000
        assert conn.execute(text("SHOW fsync")).scalar() == "off"
    engine.dispose()


def test_without_the_binaries_the_reason_names_the_setup_script(monkeypatch, tmp_path):
    monkeypatch.setenv("PATENTREACH_PG_BIN", str(tmp_path))
    reason = postgres.missing_reason()
    assert reason is not None
    assert "no PostgreSQL server binaries" in reason and "scripts/system-deps.sh" in reason
