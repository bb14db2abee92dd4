"""Keep survey imports, accepted responses and rejects in a database through SQLAlchemy.

SQLite (a single file) is the default; the same tables work on PostgreSQL when the web service
arrives, since only portable column types are used (answers are a JSON document per response, so
one schema serves every form and form version without migrations).

Tables: ``survey_imports`` (one per import: form, version, source, rows in / accepted /
rejected, so the conservation rule can be audited later), ``survey_responses`` (one per accepted
unit) and ``survey_rejects`` (one per rejected row, with its issues and raw cells). A unit already
stored for the same form is refused unless the import says ``replace=True``: corrected rows are
re-imported deliberately, never duplicated by accident.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    func,
    insert,
    select,
)

from patentreach.survey.instrument.form import Form
from patentreach.survey.responses import ROW, UNIT_KEYS, ImportResult

DEFAULT_URL = "sqlite:///patentreach-data/survey.sqlite"

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

rejects = Table(
    "survey_rejects",
    metadata,
    Column("reject_id", Integer, primary_key=True, autoincrement=True),
    Column("import_id", Integer, ForeignKey("survey_imports.import_id"), nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("issues", JSON, nullable=False),
    Column("raw", JSON, nullable=False),
)


class StoreError(RuntimeError):
    """The import conflicts with what is stored."""


def open_store(url: str | Path | None = None) -> Engine:
    """An engine on ``url`` (a SQLAlchemy URL, or a path to a SQLite file; default
    ``patentreach-data/survey.sqlite``) with the survey tables created if missing."""
    if url is None:
        url = DEFAULT_URL
    if isinstance(url, Path) or "://" not in str(url):
        path = Path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    elif str(url).startswith("sqlite:///") and str(url) != "sqlite:///:memory:":
        Path(str(url).removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(str(url))
    metadata.create_all(engine)
    return engine


def _plain(value: object) -> object:
    """A JSON-safe Python value."""
    if hasattr(value, "item"):  # numpy scalar
        return value.item()  # type: ignore[no-any-return, union-attr]
    return value


def _answer_documents(data: pd.DataFrame) -> list[dict[str, object]]:
    """One JSON-ready dict per response; empty answers are left out (they come back as NA)."""
    cells = data.astype(object).where(data.notna(), None)
    columns = list(data.columns)
    return [
        {k: _plain(v) for k, v in zip(columns, row, strict=True) if v is not None and v == v}
        for row in cells.itertuples(index=False, name=None)
    ]


def _unit_keys(result: ImportResult) -> list[str]:
    keys = UNIT_KEYS.get(result.form.form_id)
    if not keys:
        return [f"row:{r}" for r in result.accepted[ROW]]
    return ["/".join(str(v) for v in row) for row in result.accepted[list(keys)].itertuples(index=False)]


def save_import(engine: Engine, result: ImportResult, replace: bool = False) -> int:
    """Store one import (its log line, accepted responses and rejects) in one transaction and
    return its ``import_id``."""
    keys = _unit_keys(result)
    records = _answer_documents(result.accepted.drop(columns=[ROW]))
    with engine.begin() as conn:
        existing = set(
            conn.execute(select(responses.c.unit_key).where(responses.c.form_id == result.form.form_id)).scalars()
        )
        clash = sorted(existing & set(keys))
        if clash and not replace:
            shown = ", ".join(clash[:5]) + (f" and {len(clash) - 5} more" if len(clash) > 5 else "")
            raise StoreError(
                f"{len(clash)} units of form {result.form.form_id} are already stored ({shown}); "
                "import again with replace (--replace) to overwrite them"
            )
        if clash:
            conn.execute(
                delete(responses).where(responses.c.form_id == result.form.form_id, responses.c.unit_key.in_(clash))
            )
        import_id = conn.execute(
            insert(imports).values(
                form_id=result.form.form_id,
                form_version=result.form.version,
                source=result.source,
                rows_in=result.rows_in,
                accepted=len(result.accepted),
                rejected=len(result.rejected),
                imported_at=datetime.now(UTC),
            )
        ).inserted_primary_key[0]
        if records:
            conn.execute(
                insert(responses),
                [
                    {
                        "import_id": import_id,
                        "form_id": result.form.form_id,
                        "unit_key": key,
                        "row_number": int(row_number),
                        "answers": record,
                    }
                    for key, row_number, record in zip(keys, result.accepted[ROW], records, strict=True)
                ],
            )
        by_row: dict[int, list[dict[str, object]]] = {}
        for issue in result.issues:
            by_row.setdefault(issue.row, []).append(
                {
                    "column": issue.column,
                    "rule": issue.rule,
                    "value": issue.value,
                    "message": issue.message,
                }
            )
        raw_columns = [c for c in result.rejected.columns if not c.startswith("_")]
        if len(result.rejected):
            conn.execute(
                insert(rejects),
                [
                    {
                        "import_id": import_id,
                        "row_number": int(row[ROW]),
                        "issues": by_row.get(int(row[ROW]), []),
                        "raw": {c: str(row[c]) for c in raw_columns},
                    }
                    for row in result.rejected.to_dict("records")
                ],
            )
    return int(import_id)


def load_responses(engine: Engine, form: Form, import_id: int | None = None) -> pd.DataFrame:
    """The stored responses of ``form`` (or of one import) with the form's types restored:
    integers ``Int64``, decimals ``Float64``, everything else ``string``; plus ``_import_id`` and
    ``_row`` (the row in the source file)."""
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
