"""The sampling frame: every patent-holding enterprise, with the variables that define strata.

A frame row is one enterprise: ``enterprise_id``, ``sector`` (registration type: state-owned,
private, foreign-invested, HK/Macao/Taiwan-invested), ``size`` (large/medium/small/micro),
``region`` (east/central/west/northeast), ``industry`` and ``patents`` (patents held, the size
measure used for Neyman allocation and the size of the second-stage patent frame). Category
values are the holder questionnaire's choice names, checked on load, so frame, sample and
responses speak the same codes and an estimate by ``size`` can be calibrated to frame counts.

The id column is ``enterprise_id`` inside patentreach whatever the source calls it: a register
extract whose ids sit in a column ``uscc`` is read with ``id_column="uscc"`` and renamed on read.
Its ids follow one rule (:mod:`patentreach.survey.enterprise_ids`): unified social credit codes
with both their check characters, the demo's ``E000000`` ids, or free text - detected from the ids
or given - and every id that breaks it is named with its row, like the other rules. The rule is
kept in ``frame.attrs["id_rule"]``.

Two ways in: a CSV prepared elsewhere (the statistical office's register extract), or the
warehouse - patent grants of one office counted per organisation holder and matched by name to an
enterprise register that supplies the classifying variables. Holders the register does not know
are returned, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from patentreach.survey.enterprise_ids import IdRule, IdRuleError, IdShapes, resolve_rule, rule_of_shapes, shapes
from patentreach.survey.instrument.form import Form, load_form

ID_COLUMN = "enterprise_id"
ID_RULE_ATTR = "id_rule"
FRAME_COLUMNS = ("enterprise_id", "sector", "size", "region", "industry", "patents")
CLASSIFIERS = ("sector", "size", "region", "industry")
STRATUM = "stratum"
MAX_PATENTS = 2**53


class FrameError(ValueError):
    """The frame breaks a rule (missing column, duplicate id, unknown category, bad count)."""


def check_frame(
    frame: pd.DataFrame,
    form: Form | None = None,
    source: str = "frame",
    *,
    id_column: str = ID_COLUMN,
    id_rule: IdRule | str | None = None,
) -> pd.DataFrame:
    """Check a frame and return it with clean types; every broken rule is listed (with the first
    few offending rows, numbered as in a spreadsheet) in one :class:`FrameError`.

    ``id_column`` names the column holding the ids (renamed to ``enterprise_id``); ``id_rule``
    (``uscc``, ``demo``, ``free`` or an :class:`IdRule`) is detected from the ids when not given."""
    form = form or load_form("holder")
    frame = _rename_id_column(frame, id_column, source)
    missing = [c for c in FRAME_COLUMNS if c not in frame.columns]
    if missing:
        raise FrameError(f"{source}: missing columns {missing} (need {list(FRAME_COLUMNS)})")
    frame = frame.reset_index(drop=True).copy()
    problems: list[str] = []

    def rows_of(mask: pd.Series) -> str:
        numbers = [str(i + 2) for i in mask[mask].index[:5]]
        more = f" and {int(mask.sum()) - 5} more" if mask.sum() > 5 else ""
        return ", ".join(numbers) + more

    ids = frame["enterprise_id"].astype("string").str.strip()
    if (ids.isna() | (ids == "")).any():
        problems.append(f"empty enterprise_id in rows {rows_of(ids.isna() | (ids == ''))}")
    duplicated = ids.duplicated(keep=False) & ids.notna()
    if duplicated.any():
        problems.append(f"enterprise_id repeated in rows {rows_of(duplicated)}")
    id_values = ids.fillna("").tolist()
    found = shapes(id_values)
    try:
        rule = rule_of_shapes(found) if id_rule is None else resolve_rule(id_rule, id_values)
    except IdRuleError as exc:
        raise FrameError(f"{source}: {exc}") from None
    problems += _id_problems(id_values, found, rule, given=id_rule is not None)
    for column in CLASSIFIERS:
        allowed = set(form.choice_names(column))
        values = frame[column].astype("string").str.strip()
        bad = ~values.isin(allowed)
        if bad.any():
            shown = sorted(set(values[bad].fillna("<empty>")))[:5]
            problems.append(f"{column} not one of {sorted(allowed)}: {shown} in rows {rows_of(bad)}")
        frame[column] = values
    patents = pd.to_numeric(frame["patents"], errors="coerce")
    bad_count = patents.isna() | (patents < 1) | (patents % 1 != 0)
    if bad_count.any():
        problems.append(f"patents must be a whole number >= 1 in rows {rows_of(bad_count)}")
    too_large = patents > MAX_PATENTS  # beyond it a count read as a float is no longer exact
    if too_large.any():
        problems.append(f"patents must be at most {MAX_PATENTS:,} in rows {rows_of(too_large)}")
    if problems:
        raise FrameError(f"{source}: " + "; ".join(problems))
    frame["enterprise_id"] = ids
    frame["patents"] = patents.astype("int64")
    frame.attrs[ID_RULE_ATTR] = rule.name
    return frame


def _rename_id_column(frame: pd.DataFrame, id_column: str, source: str) -> pd.DataFrame:
    """The frame with its id column called ``enterprise_id``."""
    if id_column == ID_COLUMN:
        return frame
    if id_column not in frame.columns:
        raise FrameError(f"{source}: no id column {id_column!r} (columns: {', '.join(map(str, frame.columns))})")
    if ID_COLUMN in frame.columns:
        raise FrameError(f"{source}: both {id_column!r} and {ID_COLUMN!r} columns: which holds the ids? "
                         f"Drop or rename one")
    return frame.rename(columns={id_column: ID_COLUMN})


def _id_problems(values: list[str], found: IdShapes, rule: IdRule, given: bool) -> list[str]:
    """The ids breaking ``rule``, named by row with the reason (first three shown). Credit codes
    and demo ids side by side, with the rule detected, are named as such: two numbering systems
    in one frame, not a few mistyped codes."""

    def rows(positions: list[int]) -> str:
        shown = ", ".join(str(i + 2) for i in positions[:5])
        return shown + (f" and {len(positions) - 5} more" if len(positions) > 5 else "")

    if found.mixed and not given:
        fewer, name = (found.demo, "demo ids E000000") if rule.name == "uscc" else (found.uscc, "credit codes")
        return [f"enterprise_id mixes unified social credit codes ({len(found.uscc)} rows) and demo ids "
                f"E000000 ({len(found.demo)} rows): one kind of id per frame; the {name} are in rows "
                f"{rows(fewer)}"]
    reasons = rule.check(values)
    bad = [i for i, reason in enumerate(reasons) if reason]
    if not bad:
        return []
    examples = "; ".join(f"row {i + 2}: {reasons[i]}" for i in bad[:3])
    return [f"enterprise_id not {rule.title} in rows {rows(bad)} ({examples})"]


def read_frame(
    path: Path, form: Form | None = None, *, id_column: str = ID_COLUMN, id_rule: IdRule | str | None = None
) -> pd.DataFrame:
    """Read and check a frame CSV (columns :data:`FRAME_COLUMNS`, others kept; the ids in
    ``id_column``); a file that cannot be read, or has no enterprise, is a
    :class:`~patentreach.survey.table_files.TableFileError`."""
    from patentreach.survey.table_files import read_table

    frame = read_table(Path(path), dtype={id_column: str}, keep_default_na=False, what="enterprises")
    return check_frame(frame, form, str(path), id_column=id_column, id_rule=id_rule)


def add_strata(frame: pd.DataFrame, by: Sequence[str], name: str = STRATUM) -> pd.DataFrame:
    """Add a stratum label joining the values of ``by`` (``large|east``)."""
    out = frame.copy()
    first, *rest = (out[c].astype(str) for c in by)
    out[name] = first.str.cat(list(rest), sep="|") if rest else first
    return out


def stratum_table(frame: pd.DataFrame, strata: str = STRATUM, size: str = "patents") -> pd.DataFrame:
    """Per stratum: population count ``N`` and the standard deviation ``S`` of ``size`` (divisor
    N - 1), the inputs of Neyman allocation."""
    grouped = frame.groupby(strata, sort=True)[size]
    table = pd.DataFrame({"N": grouped.size(), "S": grouped.std(ddof=1).fillna(0.0)})
    table.index.name = strata
    return table


@dataclass(frozen=True)
class WarehouseFrame:
    """A frame built from the warehouse: the enterprises, their patents (the second-stage frame)
    and the holders that could not be matched to the register (kept for review)."""

    frame: pd.DataFrame
    patents: pd.DataFrame
    unmatched: pd.DataFrame


_HOLDINGS_SQL = """
SELECT DISTINCT upper(trim(pa.name)) AS holder, p.pub_id AS patent_id, p.doc_type AS patent_type
FROM publications p JOIN parties pa ON pa.pub_id = p.pub_id
WHERE p.office = ? AND pa.kind = 'organisation' AND pa.role IN ('applicant', 'assignee')
  AND p.doc_type IN ('invention_grant', 'utility_model', 'design')
"""


def frame_from_warehouse(
    warehouse: object,
    register: pd.DataFrame,
    office: str = "CN",
    form: Form | None = None,
    id_rule: IdRule | str | None = None,
    id_column: str = ID_COLUMN,
) -> WarehouseFrame:
    """Count granted patents of ``office`` per organisation holder in the warehouse and match the
    holders by name to ``register`` (columns ``name``, the ids in ``id_column`` - renamed
    ``enterprise_id`` - and the classifiers); the register's ids follow ``id_rule`` (detected
    when not given).

    The warehouse has no legal status, so "held" means "named as applicant or assignee on a grant";
    restricting to patents in force needs the office's register of renewals.
    """
    from patentreach.warehouse import Warehouse, connect

    wh = warehouse if isinstance(warehouse, Warehouse) else Warehouse.locate(str(warehouse))
    con = connect(wh)
    try:
        holdings = con.execute(_HOLDINGS_SQL, [office]).df()
    finally:
        con.close()
    reg = _rename_id_column(register, id_column, "register").copy()
    reg["holder"] = reg["name"].astype(str).str.strip().str.upper()
    matched = holdings.merge(reg[["holder", "enterprise_id"]], on="holder", how="left")
    unmatched = (
        matched[matched["enterprise_id"].isna()].groupby("holder", as_index=False).agg(patents=("patent_id", "nunique"))
    )
    patents = matched.dropna(subset=["enterprise_id"])[["enterprise_id", "patent_id", "patent_type"]]
    patents = patents.drop_duplicates().sort_values(["enterprise_id", "patent_id"])
    counts = patents.groupby("enterprise_id").size().rename("patents").reset_index()
    frame = reg.drop(columns=["holder", "name"]).merge(counts, on="enterprise_id", how="inner")
    checked = check_frame(frame, form, "warehouse", id_rule=id_rule)
    return WarehouseFrame(checked, patents.reset_index(drop=True), unmatched)
