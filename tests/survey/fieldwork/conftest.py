"""Fixtures of the fieldwork tests: every store test runs on SQLite and on a real PostgreSQL
(:mod:`tests.survey.fieldwork.postgres`), and the small sample they invite."""

from __future__ import annotations

from tests.survey.fieldwork.postgres import postgresql_cluster, store_url  # noqa: F401  (fixtures)
