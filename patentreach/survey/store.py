"""Keep survey imports, accepted responses and rejects in a database through SQLAlchemy.

SQLite (a single file) is the default; the same tables work on PostgreSQL
(``postgresql+psycopg://user@host/db``, tested against a real server), since only portable column
types are used (answers are a JSON document per response, so one schema serves every form and
form version without migrations). On SQLite every transaction begins with the write lock
(``BEGIN IMMEDIATE``, write-ahead log, 30 s busy timeout, threads of one process queued on a
Python lock) so concurrent writers wait for each other instead of failing with "database is
locked"; transactions aborted for a transient reason are retried (:func:`retrying`).

Tables: ``survey_imports`` (one per import: form, version, source, rows in / accepted /
rejected, so the conservation rule can be audited later), ``survey_responses`` (one per accepted
unit) and ``survey_rejects`` (one per rejected row, with its issues and raw cells). A unit already
stored for the same form is refused unless the import says ``replace=True``: corrected rows are
re-imported deliberately, never duplicated by accident; a unique index on (form, unit) makes that
hold under concurrent writers too (a web submission racing a paper import).

Fieldwork (online collection, :mod:`patentreach.survey.fieldwork`) adds ``survey_invitations``
(one single-use token per sampled unit, its status and reminders), ``survey_drafts`` (a
respondent's saved, not yet submitted answers) and ``survey_fieldwork`` (when a form's fieldwork
was closed). A web submission is stored like an import of one row (source ``web``), so every
response, whatever its channel, is in ``survey_responses`` and counted once.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, OperationalError, SQLAlchemyError

from patentreach.survey.instrument.form import Form, load_form
from patentreach.survey.responses import ROW, UNIT_KEYS, ImportResult

DEFAULT_URL = "sqlite:///patentreach-data/survey.sqlite"
T = TypeVar("T")

metadata = MetaData()

imports = Table(
    "survey_imports",
    metadata,
    Column("import_id", Integer, primary_key=True, autoincrement=True),
    Column("form_id", String(200), nullable=False, index=True),
    Column("form_version", String(100), nullable=False),
    Column("source", String(2000), nullable=False),
    Column("rows_in", Integer, nullable=False),
    Column("accepted", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
)

responses = Table(
    "survey_responses",
    metadata,
    Column("response_id", Integer, primary_key=True, autoincrement=True),
    Column("import_id", Integer, ForeignKey("survey_imports.import_id"), nullable=False),
    Column("form_id", String(200), nullable=False, index=True),
    Column("unit_key", String(500), nullable=False, index=True),
    Column("row_number", Integer, nullable=False),
    Column("answers", JSON, nullable=False),
)

ONE_RESPONSE_PER_UNIT = Index(
    "survey_responses_one_per_unit", responses.c.form_id, responses.c.unit_key, unique=True
)

rejects = Table(
    "survey_rejects",
    metadata,
    Column("reject_id", Integer, primary_key=True, autoincrement=True),
    Column("import_id", Integer, ForeignKey("survey_imports.import_id"), nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("issues", JSON, nullable=False),
    Column("raw", JSON, nullable=False),
)

invitations = Table(
    "survey_invitations",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("form_id", String(200), nullable=False, index=True),
    Column("unit_key", String(500), nullable=False),
    Column("enterprise_id", String(200), nullable=False),
    Column("stratum", String(500), nullable=True),
    Column("prefill", JSON, nullable=False),  # answers known from the sample (unit ids locked)
    Column("contact", JSON, nullable=False),  # name / e-mail / address columns of the sample
    Column("status", String(20), nullable=False),  # invited | opened | partial | complete
    Column("channel", String(20), nullable=True),  # web | paper, once complete
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=True),
    Column("completed_at", DateTime(timezone=True), nullable=True),
    Column("reminders", Integer, nullable=False, default=0),
    Column("reminded_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("form_id", "unit_key", name="survey_invitations_one_per_unit"),
)

drafts = Table(
    "survey_drafts",
    metadata,
    Column("token", String(64), ForeignKey("survey_invitations.token"), primary_key=True),
    Column("answers", JSON, nullable=False),
    Column("page", Integer, nullable=False, default=0),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

fieldwork_log = Table(
    "survey_fieldwork",
    metadata,
    Column("form_id", String(200), primary_key=True),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("closed_by", String(200), nullable=True),
)


class StoreError(RuntimeError):
    """The import conflicts with what is stored."""


def shown_url(url: str | Path) -> str:
    """``url`` as it may be printed: a database URL with its password hidden, a path as it is."""
    text = str(url)
    if "://" not in text:
        return text
    try:
        return make_url(text).render_as_string(hide_password=True)
    except ArgumentError:
        return text.split("@", 1)[-1] if "@" in text else text


def open_store(url: str | Path | None = None) -> Engine:
    """An engine on ``url`` (a SQLAlchemy URL, or a path to a SQLite file; default
    ``patentreach-data/survey.sqlite``) with the survey tables created if missing.

    ``postgresql://...`` means the psycopg (3) driver, the one patentreach installs. On SQLite
    every transaction starts with ``BEGIN IMMEDIATE`` (the write lock first, waiting up to 30 s
    for it): two writers that had both read first could otherwise deadlock, and SQLite answers a
    deadlock with "database is locked" at once instead of waiting. Raises :class:`StoreError`,
    one line naming the store (password hidden), when it cannot be opened."""
    if url is None:
        url = DEFAULT_URL
    if isinstance(url, Path) or "://" not in str(url):
        path = Path(url)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the survey store's folder: {exc.strerror or exc}") from None
        url = f"sqlite:///{path}"
    elif str(url).startswith("sqlite:///") and str(url) != "sqlite:///:memory:":
        Path(str(url).removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    text = str(url)
    for plain in ("postgresql://", "postgres://"):
        if text.startswith(plain):
            text = "postgresql+psycopg://" + text.removeprefix(plain)
    try:
        parsed = make_url(text)
    except ArgumentError:
        raise StoreError(f"{text}: not a SQLite file or a database URL (sqlite:///file or "
                         "postgresql+psycopg://user@host/database)") from None
    shown = parsed.render_as_string(hide_password=True)
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_SECONDS, "factory": _QueuedConnection})
            _begin_immediately(engine)
        elif parsed.get_driver_name() == "psycopg":
            # no server-side prepared statements: after five runs PostgreSQL may switch a prepared
            # statement to a generic plan, and for `unit_key IN (500 parameters)` that plan
            # compares every row with every parameter (an 18,000-row paper import went from
            # 0.02 s to 0.5 s per chunk); also what a pgbouncer in transaction mode needs
            engine = create_engine(parsed, pool_pre_ping=True, connect_args={"prepare_threshold": None})
        else:
            engine = create_engine(parsed, pool_pre_ping=True)
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # several processes (web workers) opening a new database at once: one creates
                conn.execute(select(func.pg_advisory_xact_lock(SCHEMA_LOCK)))
            metadata.create_all(conn)
            ONE_RESPONSE_PER_UNIT.create(conn, checkfirst=True)  # stores made before the index existed
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"{shown}: no database driver for this URL ({exc}); PostgreSQL stores use "
                         "postgresql+psycopg://user@host/database") from None
    except SQLAlchemyError as exc:
        lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        reason = lines[0] if lines else type(exc).__name__
        raise StoreError(f"{shown}: cannot open the survey store: {reason}") from None
    return engine


SQLITE_BUSY_SECONDS = 30
SCHEMA_LOCK = 0x7061_7465  # any constant: the advisory lock key of "create the survey tables"


def _begin_immediately(engine: Engine) -> None:
    """SQLite transactions take the write lock when they begin (SQLAlchemy's documented recipe for
    pysqlite: the driver's own transaction handling off, ``BEGIN IMMEDIATE`` emitted instead),
    in write-ahead-log mode (readers never wait for a writer's commit, and a commit is one
    fsync). Threads of one process queue on a Python lock before asking SQLite: SQLite's own
    busy handler polls with sleeps of up to 100 ms, which under a burst of web submissions
    costs far more than the transactions; other processes still wait through that handler."""
    lock = threading.Lock()

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.isolation_level = None  # autocommit in the driver: BEGIN is ours
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.survey_lock = lock

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        dbapi_connection = conn.connection.dbapi_connection
        if isinstance(dbapi_connection, _QueuedConnection):
            dbapi_connection.queue()
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            if isinstance(dbapi_connection, _QueuedConnection):
                dbapi_connection.leave()
            raise


class _QueuedConnection(sqlite3.Connection):
    """A pysqlite connection that holds its engine's lock from ``BEGIN`` to commit or rollback."""

    survey_lock: threading.Lock | None = None
    _holding = False

    def queue(self) -> None:
        if self.survey_lock is not None and not self._holding:
            # a thread that already holds it through another connection waits for SQLite instead
            self._holding = self.survey_lock.acquire(timeout=SQLITE_BUSY_SECONDS)

    def leave(self) -> None:
        if self._holding and self.survey_lock is not None:
            self._holding = False
            self.survey_lock.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.leave()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.leave()


def _plain(value: object) -> object:
    """A JSON-safe Python value."""
    if hasattr(value, "item"):  # numpy scalar
        return value.item()  # type: ignore[no-any-return, union-attr]
    return value


def _answer_documents(data: pd.DataFrame) -> list[dict[str, object]]:
    """One JSON-ready dict per response; empty answers are left out (they come back as NA).

    Column by column (``tolist`` gives Python scalars, ``isna`` the empty answers), not through
    ``astype(object).where(...)``: that costs some 60 ms per call on a form's ~40 typed columns,
    whatever the row count, and a web submission is a one-row import."""
    columns = []
    for name, column in data.items():
        values = column.tolist()
        if column.dtype == object:
            values = [_plain(v) for v in values]
        columns.append((str(name), values, column.isna().tolist()))
    return [{name: values[i] for name, values, empty in columns if not empty[i]} for i in range(len(data))]


def _unit_keys(result: ImportResult) -> list[str]:
    keys = UNIT_KEYS.get(result.form.form_id)
    if not keys:
        return [f"row:{r}" for r in result.accepted[ROW]]
    columns = [result.accepted[k].tolist() for k in keys]
    return ["/".join(str(v) for v in row) for row in zip(*columns, strict=True)]


@dataclass(frozen=True)
class PreparedImport:
    """What an import writes, computed from the pandas frames before the transaction begins, so
    the database's write lock is never held while pandas works."""

    keys: list[str]
    row_numbers: list[int]
    records: list[dict[str, object]]
    rejects: list[dict[str, object]]


def prepare_import(result: ImportResult) -> PreparedImport:
    by_row: dict[int, list[dict[str, object]]] = {}
    for issue in result.issues:
        by_row.setdefault(issue.row, []).append(
            {"column": issue.column, "rule": issue.rule, "value": issue.value, "message": issue.message}
        )
    raw_columns = [c for c in result.rejected.columns if not c.startswith("_")]
    rejected = [
        {
            "row_number": int(row[ROW]),
            "issues": by_row.get(int(row[ROW]), []),
            "raw": {c: str(row[c]) for c in raw_columns},
        }
        for row in (result.rejected.to_dict("records") if len(result.rejected) else [])
    ]
    return PreparedImport(
        _unit_keys(result),
        [int(r) for r in result.accepted[ROW].tolist()],
        _answer_documents(result.accepted.drop(columns=[ROW])),
        rejected,
    )


def save_import(engine: Engine, result: ImportResult, replace: bool = False, channel: str = "paper") -> int:
    """Store one import (its log line, accepted responses and rejects) in one transaction and
    return its ``import_id``. Invitations of the units it brings are marked complete
    (``channel``: ``paper`` for files, ``web`` for a submission), so a returned questionnaire is
    counted once whichever way it came."""
    prepared = prepare_import(result)

    def work() -> int:
        with engine.begin() as conn:
            return save_import_in(conn, result, replace=replace, channel=channel, prepared=prepared)

    return retrying(work)


def save_import_in(
    conn: Connection,
    result: ImportResult,
    replace: bool = False,
    channel: str = "paper",
    prepared: PreparedImport | None = None,
) -> int:
    """:func:`save_import` inside the caller's transaction ``conn`` (``prepared``: the
    :func:`prepare_import` of ``result``, made before the transaction).

    The invitations of the import's units are updated first: a web submission of the same unit
    locks the same invitation row first too, so two writers of one unit queue on that row (the
    second then finds it complete) instead of deadlocking between the invitation and the
    responses' unique index. Should a race still reach the index, :class:`StoreError` says
    which units were stored meanwhile."""
    form_id = result.form.form_id
    prepared = prepared or prepare_import(result)
    keys, records = prepared.keys, prepared.records
    clash = sorted(_stored_units(conn, form_id, keys))
    if clash and not replace:
        raise StoreError(_clash_message(conn, form_id, clash))
    now = datetime.now(UTC)
    for chunk in chunks(keys):
        conn.execute(
            update(invitations)
            .where(invitations.c.form_id == form_id, invitations.c.unit_key.in_(chunk))
            .values(status="complete", channel=channel, completed_at=now)
        )
        tokens = select(invitations.c.token).where(invitations.c.form_id == form_id, invitations.c.unit_key.in_(chunk))
        conn.execute(delete(drafts).where(drafts.c.token.in_(tokens)))
    for chunk in chunks(clash):
        conn.execute(delete(responses).where(responses.c.form_id == form_id, responses.c.unit_key.in_(chunk)))
    import_id = conn.execute(
        insert(imports).values(
            form_id=form_id,
            form_version=result.form.version,
            source=result.source,
            rows_in=result.rows_in,
            accepted=len(result.accepted),
            rejected=len(result.rejected),
            imported_at=now,
        )
    ).inserted_primary_key[0]
    if records:
        rows = [
            {
                "import_id": import_id,
                "form_id": form_id,
                "unit_key": key,
                "row_number": row_number,
                "answers": record,
            }
            for key, row_number, record in zip(keys, prepared.row_numbers, records, strict=True)
        ]
        try:
            with conn.begin_nested():
                conn.execute(insert(responses), rows)
        except IntegrityError:  # stored by a concurrent writer after the check above
            raced = sorted(_stored_units(conn, form_id, keys))
            raise StoreError(_clash_message(conn, form_id, raced or keys[:1])) from None
    if prepared.rejects:
        conn.execute(insert(rejects), [{"import_id": import_id, **row} for row in prepared.rejects])
    return int(import_id)


CHUNK = 500  # keys per IN (...) list: far below every backend's limit on bound parameters


def chunks(values: list[str]) -> list[list[str]]:
    """``values`` in lists of at most :data:`CHUNK`, one ``IN (...)`` list each."""
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def _stored_units(conn: Connection, form_id: str, keys: list[str]) -> set[str]:
    """Which of ``keys`` already have a response of ``form_id``."""
    found: set[str] = set()
    for chunk in chunks(keys):
        found.update(
            conn.execute(
                select(responses.c.unit_key).where(responses.c.form_id == form_id, responses.c.unit_key.in_(chunk))
            ).scalars()
        )
    return found


def _clash_message(conn: Connection, form_id: str, clash: list[str]) -> str:
    """One line: how many units are already stored, the first few with the channel each came by
    (a web submission or an earlier file), and how to overwrite them deliberately."""
    channels = dict(
        conn.execute(
            select(invitations.c.unit_key, invitations.c.channel).where(
                invitations.c.form_id == form_id, invitations.c.unit_key.in_(clash[:5])
            )
        ).all()
    )
    via = {"web": "answered on the web", "paper": "imported before"}
    shown = ", ".join(f"{key} ({via.get(channels.get(key) or 'paper', 'imported before')})" for key in clash[:5])
    more = f" and {len(clash) - 5} more" if len(clash) > 5 else ""
    units = "unit" if len(clash) == 1 else "units"
    verb = "is" if len(clash) == 1 else "are"
    return (
        f"{len(clash)} {units} of form {form_id} {verb} already stored: {shown}{more}; a unit is counted once, "
        "so this import stores nothing; import again with replace (--replace) to overwrite them"
    )


RETRIES = 5
# SQLite: the 30 s busy timeout ran out; PostgreSQL: deadlock detected, serialization failure
TRANSIENT = ("database is locked", "deadlock detected", "could not serialize access")


def retrying(work: Callable[[], T], attempts: int = RETRIES) -> T:
    """``work()`` (one whole transaction), run again when the database aborted it for a
    transient reason (see ``TRANSIENT``) after a short, growing, jittered pause: a respondent's
    submission or a paper import is never lost to a busy moment of the database."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except OperationalError as exc:
            if attempt == attempts or not any(t in str(exc) for t in TRANSIENT):
                raise
            time.sleep(random.uniform(0.05, 0.2) * attempt)
    raise AssertionError("unreachable")


def load_responses(engine: Engine, form: Form | str, import_id: int | None = None) -> pd.DataFrame:
    """The stored responses of ``form`` (a :class:`Form`, a bundled form's name such as
    ``"holder"``, or an XLSForm path), or of one import, with the form's types restored: integers
    ``Int64``, decimals ``Float64``, everything else ``string``; plus ``_import_id`` and ``_row``
    (the row in the source file)."""
    form = form if isinstance(form, Form) else load_form(form)
    query = select(responses.c.import_id, responses.c.row_number, responses.c.answers).where(
        responses.c.form_id == form.form_id
    )
    if import_id is not None:
        query = query.where(responses.c.import_id == import_id)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(responses.c.response_id)).all()
    data = pd.DataFrame([r.answers for r in rows])
    for f in form.answers:
        if f.name not in data.columns:
            data[f.name] = None
    dtypes = {"integer": "Int64", "decimal": "Float64"}
    for column in data.columns:
        kind = next((f.type for f in form.answers if f.name == column), "text")
        data[column] = data[column].astype(object).where(data[column].notna(), None)
        data[column] = data[column].astype(dtypes.get(kind, "string"))
    ordered = [f.name for f in form.answers] + [c for c in data.columns if c not in {f.name for f in form.answers}]
    data = data[ordered]
    data.insert(0, "_import_id", pd.array([r.import_id for r in rows], dtype="int64"))
    data.insert(1, ROW, pd.array([r.row_number for r in rows], dtype="int64"))
    return data


def import_log(engine: Engine) -> pd.DataFrame:
    """One row per import, with a ``balanced`` flag: ``rows_in == accepted + rejected`` and the
    stored rows match the counts."""
    with engine.connect() as conn:
        log = pd.DataFrame(conn.execute(select(imports).order_by(imports.c.import_id)).mappings())
        stored = dict(conn.execute(select(responses.c.import_id, func.count()).group_by(responses.c.import_id)).all())
        stored_rejects = dict(
            conn.execute(select(rejects.c.import_id, func.count()).group_by(rejects.c.import_id)).all()
        )
    if log.empty:
        return log
    log["stored_responses"] = [stored.get(i, 0) for i in log["import_id"]]
    log["stored_rejects"] = [stored_rejects.get(i, 0) for i in log["import_id"]]
    log["balanced"] = (log["rows_in"] == log["accepted"] + log["rejected"]) & (log["stored_rejects"] == log["rejected"])
    return log
