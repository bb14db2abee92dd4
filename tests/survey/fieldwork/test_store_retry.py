"""Transient aborts (SQLite's busy timeout running out, a PostgreSQL deadlock) are retried; any
other database error is not. The pauses are recorded, not slept."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from patentreach.survey import store


def flaky(failures: list[str]):
    def work() -> str:
        if failures:
            raise OperationalError("INSERT ...", {}, Exception(failures.pop(0)))
        return "stored"

    return work


def test_a_locked_database_or_a_deadlock_is_retried_until_the_work_is_done(monkeypatch):
    pauses: list[float] = []
    monkeypatch.setattr(store.time, "sleep", pauses.append)
    assert store.retrying(flaky(["database is locked", "deadlock detected"])) == "stored"
    assert len(pauses) == 2 and all(0 < p <= 0.4 for p in pauses)


def test_other_errors_and_the_last_attempt_are_raised(monkeypatch):
    monkeypatch.setattr(store.time, "sleep", lambda _: None)
    with pytest.raises(OperationalError, match="no such table"):
        store.retrying(flaky(["no such table: survey_responses"]))
    with pytest.raises(OperationalError, match="database is locked"):
        store.retrying(flaky(["database is locked"] * store.RETRIES))
