"""The sampling frame: every patent-holding enterprise, with the variables that define strata.

A frame row is one enterprise: ``enterprise_id``, ``sector`` (registration type: state-owned,
private, foreign-invested, HK/Macao/Taiwan-invested), ``size`` (large/medium/small/micro),
``region`` (east/central/west/northeast), ``industry`` and ``patents`` (patents held, the size
measure used for Neyman allocation and the size of the second-stage patent frame). Category
values are the holder questionnaire's choice names, checked on load, so frame, sample and
responses speak the same codes and an estimate by ``size`` can be calibrated to frame counts.

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

from patentreach.survey.instrument.form import Form, load_form

FRAME_COLUMNS = ("enterprise_id", "sector", "size", "region", "industry", "patents")
CLASSIFIERS = ("sector", "size", "region", "industry")
STRATUM = "stratum"
MAX_PATENTS = 2**53


class FrameError(ValueError):
    """The frame breaks a rule (missing column, duplicate id, unknown category, bad count)."""


def check_frame(frame: pd.DataFrame, form: Form | None = None, source: str = "frame") -> pd.DataFrame:
    """Check a frame and return it with clean types; every broken rule is listed (with the first
    few offending rows, numbered as in a spreadsheet) in one :class:`FrameError`."""
    form = form or load_form("holder")
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
    return frame


def read_frame(path: Path, form: Form | None = None) -> pd.DataFrame:
    """Read and check a frame CSV (columns :data:`FRAME_COLUMNS`, others kept); a file that cannot
    be read, or has no enterprise, is a :class:`~patentreach.survey.table_files.TableFileError`."""
    from patentreach.survey.table_files import read_table

    frame = read_table(Path(path), dtype={"enterprise_id": str}, keep_default_na=False, what="enterprises")
    return check_frame(frame, form, str(path))


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
    warehouse: object, register: pd.DataFrame, office: str = "CN", form: Form | None = None
) -> WarehouseFrame:
    """Count granted patents of ``office`` per organisation holder in the warehouse and match the
    holders by name to ``register`` (columns ``name``, ``enterprise_id`` and the classifiers).

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
    reg = register.copy()
    reg["holder"] = reg["name"].astype(str).str.strip().str.upper()
    matched = holdings.merge(reg[["holder", "enterprise_id"]], on="holder", how="left")
    unmatched = (
        matched[matched["enterprise_id"].isna()].groupby("holder", as_index=False).agg(patents=("patent_id", "nunique"))
    )
    patents = matched.dropna(subset=["enterprise_id"])[["enterprise_id", "patent_id", "patent_type"]]
    patents = patents.drop_duplicates().sort_values(["enterprise_id", "patent_id"])
    counts = patents.groupby("enterprise_id").size().rename("patents").reset_index()
    frame = reg.drop(columns=["holder", "name"]).merge(counts, on="enterprise_id", how="inner")
    return WarehouseFrame(check_frame(frame, form, "warehouse"), patents.reset_index(drop=True), unmatched)
