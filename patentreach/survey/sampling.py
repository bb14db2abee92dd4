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
    rows = listing.iloc[starts[unit] + position].drop(columns=[id_column]).reset_index(drop=True)
    drawn = pd.concat([out, rows], axis=1)
    drawn.attrs = dict(out.attrs)
    return drawn


def write_sample(sample: pd.DataFrame, path: Path) -> Path:
    """Write a sample CSV (design columns included); frame text that a spreadsheet would run as a
    formula is quoted (``neutralise_frame``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    neutralise_frame(sample).to_csv(path, index=False)
    return path
