"""Weights kept with the responses: one run per ``survey weight``, the newest one wins.

Two tables in the survey store (SQLite or PostgreSQL, the engine of
:func:`patentreach.survey.store.open_store`): ``survey_weight_runs`` (what was asked and the
diagnostics, as JSON) and ``survey_weights`` (one row per responding unit: its final weight and
replicate weights). They are created here, on first use, so the response store's own schema stays
untouched. A run is written in one transaction: a reader never sees half a run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    select,
)

from patentreach.survey.instrument.form import Form, load_form
from patentreach.survey.weighting import WeightResult

metadata = MetaData()

weight_runs = Table(
    "survey_weight_runs",
    metadata,
    Column("run_id", Integer, primary_key=True, autoincrement=True),
    Column("form_id", String(200), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("specification", JSON, nullable=False),
    Column("diagnostics", JSON, nullable=False),
    Column("design", JSON, nullable=False),
)

weights_table = Table(
    "survey_weights",
    metadata,
    Column("run_id", Integer, ForeignKey("survey_weight_runs.run_id"), primary_key=True),
    Column("unit_key", String(500), primary_key=True),
    Column("final_weight", Float, nullable=False),
    Column("replicates", JSON, nullable=True),
)


@dataclass
class WeightRun:
    """One stored run: its id, form, time, what was asked, the diagnostics and the weights."""

    run_id: int
    form_id: str
    created_at: datetime
    specification: dict[str, Any]
    diagnostics: dict[str, Any]
    design: dict[str, Any]
    weights: pd.DataFrame  # unit_key, final_weight, rep_1 .. rep_R


def _create(engine: Engine) -> None:
    weight_runs.create(engine, checkfirst=True)
    weights_table.create(engine, checkfirst=True)


def _json_safe(value: Any) -> Any:
    """Plain JSON values: numpy scalars made Python, infinities and NaN made null (PostgreSQL's
    JSON has neither)."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def save_weights(engine: Engine, form: Form | str, result: WeightResult) -> int:
    """Store a run and its respondents' weights; return the ``run_id``."""
    form = form if isinstance(form, Form) else load_form(form)
    _create(engine)
    table = result.weights
    reps = result.replicate_columns
    rows = [
        {
            "unit_key": str(key),
            "final_weight": float(weight),
            "replicates": [float(x) for x in rep] if reps else None,
        }
        for key, weight, rep in zip(
            table[result.id_column],
            table["final_weight"],
            table[reps].itertuples(index=False, name=None) if reps else [()] * len(table),
            strict=True,
        )
    ]
    with engine.begin() as conn:
        run_id = conn.execute(
            insert(weight_runs).values(
                form_id=form.form_id,
                created_at=datetime.now(UTC),
                specification=_json_safe(result.specification),
                diagnostics=_json_safe(result.diagnostics.to_dict()),
                design=_json_safe(result.design),
            )
        ).inserted_primary_key[0]
        if rows:
            conn.execute(insert(weights_table), [{"run_id": run_id, **row} for row in rows])
    return int(run_id)


def latest_weights(engine: Engine, form: Form | str) -> WeightRun | None:
    """The newest run for ``form`` (a Form or a bundled form's name), or None if never weighted."""
    form = form if isinstance(form, Form) else load_form(form)
    _create(engine)
    with engine.connect() as conn:
        run = conn.execute(
            select(weight_runs)
            .where(weight_runs.c.form_id == form.form_id)
            .order_by(weight_runs.c.run_id.desc())
            .limit(1)
        ).first()
        if run is None:
            return None
        stored = conn.execute(
            select(weights_table.c.unit_key, weights_table.c.final_weight, weights_table.c.replicates)
            .where(weights_table.c.run_id == run.run_id)
            .order_by(weights_table.c.unit_key)
        ).all()
    table = pd.DataFrame({"unit_key": [r.unit_key for r in stored], "final_weight": [r.final_weight for r in stored]})
    if stored and stored[0].replicates:
        reps = pd.DataFrame([r.replicates for r in stored])
        reps.columns = [f"rep_{i + 1}" for i in range(reps.shape[1])]
        table = pd.concat([table, reps], axis=1)
    return WeightRun(
        int(run.run_id), run.form_id, run.created_at, run.specification, run.diagnostics, run.design, table
    )
