"""Draw the sample: stratified simple random sampling of enterprises without replacement, then
patents within the sampled enterprises (the second stage of the patent questionnaire).

Reproducible by seed, and independent of the order of the frame: the frame is sorted by stratum
and id first, and every stratum draws from its own generator seeded with ``(seed, crc32(stratum))``,
so changing one stratum's allocation does not reshuffle the others.

The sample file carries its design, as the estimator needs it: ``stratum``, ``fpc`` (the stratum's
population size ``N_h``), ``n_h``, ``prob`` (``n_h / N_h``) and ``design_weight`` (``N_h / n_h``).
The patent sample adds ``patents`` (``M_i``, the enterprise's patents), ``m_i`` (drawn) and a
``design_weight`` of ``N_h / n_h * M_i / m_i``; analysed with the enterprise as the cluster
(``ids: enterprise_id``) this is the usual with-replacement approximation for a two-stage design.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from patentreach.model.spreadsheet_cells import neutralise_frame
from patentreach.survey.allocation import Method, allocate
from patentreach.survey.frame import STRATUM, stratum_table


class SamplingError(ValueError):
    """The sample cannot be drawn as asked."""


def _rng(seed: int, label: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(label.encode("utf-8"))])


def draw_stratified(
    frame: pd.DataFrame,
    sizes: Mapping[str, int],
    seed: int,
    strata: str = STRATUM,
    id_column: str = "enterprise_id",
) -> pd.DataFrame:
    """Stratified SRS without replacement: ``sizes[h]`` units from each stratum ``h``.

    Every stratum of the frame must have at least one unit in the sample (a stratum with none
    could not be estimated): pass ``minimum=1`` or more to the allocation.
    """
    counts = frame.groupby(strata).size()
    unknown = sorted(set(sizes) - set(counts.index))
    if unknown:
        raise SamplingError(f"sizes given for strata not in the frame: {unknown}")
    empty = sorted(h for h in counts.index if sizes.get(h, 0) < 1)
    if empty:
        raise SamplingError(f"strata with no sample: {empty} (allocate a minimum of at least 1)")
    too_big = sorted(h for h in counts.index if sizes[h] > counts[h])
    if too_big:
        raise SamplingError(f"strata asked for more units than they have: {too_big}")
    ordered = frame.sort_values([strata, id_column], kind="stable").reset_index(drop=True)
    parts = []
    for stratum, rows in ordered.groupby(strata, sort=True):
        population, n_h = len(rows), int(sizes[str(stratum)])
        picked = np.sort(_rng(seed, str(stratum)).choice(population, size=n_h, replace=False))
        part = rows.iloc[picked].copy()
        part["fpc"] = population
        part["n_h"] = n_h
        part["prob"] = n_h / population
        part["design_weight"] = population / n_h
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def draw_sample(
    frame: pd.DataFrame,
    n: int,
    method: Method = "neyman",
    seed: int = 2021,
    strata: str = STRATUM,
    size_variable: str = "patents",
    minimum: int = 2,
) -> pd.DataFrame:
    """Allocate ``n`` among the strata (``method``, ``minimum``; Neyman uses the standard deviation
    of ``size_variable``) and draw the stratified sample."""
    table = stratum_table(frame, strata, size_variable)
    sizes = allocate(
        {str(h): int(v) for h, v in table["N"].items()},
        n,
        method,
        sd={str(h): float(v) for h, v in table["S"].items()},
        minimum=minimum,
    )
    return draw_stratified(frame, sizes, seed, strata)


def srswor_positions(sizes: np.ndarray, m: int, rng: np.random.Generator) -> np.ndarray:
    """For every unit ``i``, ``min(m, sizes[i])`` distinct positions in ``0 .. sizes[i]-1`` drawn by
    simple random sampling without replacement; a ``(len(sizes), m)`` array padded with -1.

    Vectorised over units by successive draws: the j-th draw picks uniformly among the
    ``sizes[i] - j`` positions not yet taken (the r-th free position is r shifted past each
    earlier pick at or below it), which is exactly SRS without replacement.
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    picks = np.full((len(sizes), m), -1, dtype=np.int64)
    for j in range(m):
        active = sizes > j
        r = np.floor(rng.random(len(sizes)) * np.maximum(sizes - j, 1)).astype(np.int64)
        taken = np.sort(picks[:, :j], axis=1)
        for k in range(j):  # earlier picks in increasing order
            r += r >= taken[:, k]
        picks[:, j] = np.where(active, r, -1)
    return picks


def draw_patents(
    holders: pd.DataFrame,
    per_holder: int,
    seed: int,
    patents: pd.DataFrame | None = None,
    id_column: str = "enterprise_id",
) -> pd.DataFrame:
    """Second stage: up to ``per_holder`` patents by SRS without replacement within each sampled
    enterprise (all of them when it holds fewer).

    With ``patents`` (a listing: ``enterprise_id``, ``patent_id``, ...) the drawn listing rows are
    returned; without it, ``patent_index`` (1..M_i) says which patent of the enterprise's register
    listing, in publication-number order, was drawn. ``holders`` must carry ``patents`` (M_i)
    unless a listing is given, plus ``stratum``, ``fpc`` and ``design_weight`` from stage one.
    Reproducible by seed and independent of row order (holders are sorted by id first).
    """
    if per_holder < 1:
        raise SamplingError("per_holder must be at least 1")
    holders = holders.sort_values(id_column, kind="stable").reset_index(drop=True)
    listing = None
    if patents is not None:
        listing = patents.sort_values([id_column, "patent_id"], kind="stable").reset_index(drop=True)
        counts = listing.groupby(id_column, sort=False).size()
        sizes = holders[id_column].map(counts).fillna(0).to_numpy(dtype=np.int64)
        starts = holders[id_column].map(counts.cumsum() - counts).fillna(0).to_numpy(np.int64)
    else:
        sizes = holders["patents"].to_numpy(dtype=np.int64)
    picks = np.sort(srswor_positions(sizes, per_holder, np.random.default_rng([seed, 0x5EC0])), 1)
    unit, slot = np.nonzero(picks >= 0)  # row-major: by holder, then increasing position
    position = picks[unit, slot]
    drawn_m = np.minimum(sizes, per_holder)
    out = pd.DataFrame(
        {
            id_column: holders[id_column].to_numpy()[unit],
            STRATUM: holders[STRATUM].to_numpy()[unit],
            "fpc": holders["fpc"].to_numpy()[unit],
            "patents": sizes[unit],
            "m_i": drawn_m[unit],
            "holder_weight": holders["design_weight"].to_numpy()[unit],
        }
    )
    out["design_weight"] = out["holder_weight"] * out["patents"] / out["m_i"]
    out.attrs.update(holders.attrs)  # the frame's id rule, for the import of the answers
    if listing is None:
        out["patent_index"] = position + 1
        return out
    # the design's columns are the sample's own (a listing's `patents` or `stratum` is not)
    clashing = [c for c in listing.columns if c in out.columns]
    rows = listing.iloc[starts[unit] + position].drop(columns=clashing).reset_index(drop=True)
    drawn = pd.concat([out, rows], axis=1)
    drawn.attrs = dict(out.attrs)
    return drawn


PATENT_LIST_COLUMNS = ("enterprise_id", "patent_id")


def read_patent_list(path: Path, id_column: str = "enterprise_id") -> pd.DataFrame:
    """Read the frame's patent list (the second-stage frame): one row per patent held by a frame
    enterprise, with the enterprise's id (in ``id_column`` or ``enterprise_id``) and the
    patent's ``patent_id`` (its publication number); other columns (``patent_type``,
    ``grant_year``...) are carried into the sample. A missing column, an empty or repeated
    ``patent_id`` or an empty enterprise id is a :class:`SamplingError` naming the file and the
    spreadsheet rows."""
    from patentreach.survey.table_files import read_table

    listing = read_table(Path(path), dtype=str, keep_default_na=False, what="patents")
    if id_column != "enterprise_id" and id_column in listing.columns:
        listing = listing.rename(columns={id_column: "enterprise_id"})
    lacking = [c for c in PATENT_LIST_COLUMNS if c not in listing.columns]
    if lacking:
        named = "enterprise_id" if id_column == "enterprise_id" else f"{id_column} (or enterprise_id)"
        wanted = {"enterprise_id": named, "patent_id": "patent_id"}
        raise SamplingError(
            f"{path}: the patent list has no column {', '.join(wanted[c] for c in lacking)} "
            f"(columns: {', '.join(map(str, listing.columns))})"
        )
    for column in PATENT_LIST_COLUMNS:
        listing[column] = listing[column].fillna("").astype(str).str.strip()
    problems = []
    for column in PATENT_LIST_COLUMNS:
        empty = listing[column] == ""
        if empty.any():
            problems.append(f"{column} is empty in rows {_rows_of(empty)}")
    repeated = listing["patent_id"].duplicated(keep=False) & (listing["patent_id"] != "")
    if repeated.any():
        problems.append(f"patent_id repeats in rows {_rows_of(repeated)}")
    if problems:
        raise SamplingError(f"{path}: " + "; ".join(problems))
    return listing


def _rows_of(mask: pd.Series) -> str:
    """Spreadsheet row numbers (header = row 1) of the true entries, the first ten."""
    rows = [str(i + 2) for i in np.flatnonzero(mask.to_numpy())]
    return ", ".join(rows[:10]) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")


def check_patent_list(holders: pd.DataFrame, listing: pd.DataFrame, source: str) -> list[str]:
    """Check the patent list against the sampled enterprises before the second stage: every
    sampled enterprise must have a patent in it (else no patent of it could be drawn: a
    :class:`SamplingError` naming them). Returns notes to show: enterprises whose number of
    listed patents differs from the frame's ``patents`` (the list's count is ``M_i`` then)."""
    counts = listing.groupby("enterprise_id").size()
    ids = holders["enterprise_id"].astype(str)
    listed = ids.map(counts)
    absent = ids[listed.isna()].tolist()
    if absent:
        more = f" and {len(absent) - 5} more" if len(absent) > 5 else ""
        raise SamplingError(
            f"{source}: {len(absent)} sampled enterprise(s) have no patent in the patent list "
            f"({', '.join(absent[:5])}{more}): no patent of theirs can be drawn"
        )
    notes = []
    if "patents" in holders.columns:
        differ = int((listed.to_numpy(dtype=np.int64) != holders["patents"].to_numpy(dtype=np.int64)).sum())
        if differ:
            notes.append(
                f"{differ} sampled enterprise(s) have a different number of patents in {source} than in the "
                "frame's `patents`: the list's count is used as M_i for their patents' weights"
            )
    return notes


def write_sample(sample: pd.DataFrame, path: Path) -> Path:
    """Write a sample CSV (design columns included); frame text that a spreadsheet would run as a
    formula is quoted (``neutralise_frame``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    neutralise_frame(sample).to_csv(path, index=False)
    return path
