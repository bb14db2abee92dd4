"""Integer group codes and fast group sums: the one primitive every variance formula leans on.

Clusters, strata, post-strata and domains are all "rows belong to groups"; sums of many columns
within groups are done once as a sparse indicator matrix product, which is an order of magnitude
faster than ``groupby`` on wide numeric blocks and keeps the estimators free of pandas.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp


@dataclass
class Grouping:
    """Rows coded ``0 .. n_groups-1``; ``sum`` adds rows of a vector or matrix within groups."""

    codes: np.ndarray
    n_groups: int
    _matrix: sp.csr_matrix | None = field(default=None, repr=False)
    _first: np.ndarray | None = field(default=None, repr=False)
    _counts: np.ndarray | None = field(default=None, repr=False)

    @classmethod
    def of(cls, codes: np.ndarray) -> Grouping:
        codes = np.asarray(codes, dtype=np.int64)
        return cls(codes, int(codes.max()) + 1 if codes.size else 0)

    @property
    def matrix(self) -> sp.csr_matrix:
        if self._matrix is None:
            n = self.codes.size
            self._matrix = sp.csr_matrix((np.ones(n), (self.codes, np.arange(n))), shape=(self.n_groups, n))
        return self._matrix

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Group sums of a vector (n,) -> (G,) or of a matrix (n, p) -> (G, p)."""
        if values.ndim == 1:
            return np.bincount(self.codes, weights=values, minlength=self.n_groups)
        if values.flags.f_contiguous and not values.flags.c_contiguous:
            # column-major blocks (replicate weights): one bincount per column reads memory in order
            out = np.empty((self.n_groups, values.shape[1]))
            for j in range(values.shape[1]):
                out[:, j] = np.bincount(self.codes, weights=values[:, j], minlength=self.n_groups)
            return out
        return np.asarray(self.matrix @ values)

    def counts(self) -> np.ndarray:
        """Rows per group (computed once: the codes never change)."""
        if self._counts is None:
            self._counts = np.bincount(self.codes, minlength=self.n_groups)
        return self._counts.copy()

    def first_row(self) -> np.ndarray:
        """For each group, the index of its first row (groups are never empty; computed once)."""
        if self._first is None:
            first = np.full(self.n_groups, -1, dtype=np.int64)
            order = np.arange(self.codes.size)[::-1]
            first[self.codes[order]] = order
            self._first = first
        return self._first


def factorize(values: Sequence | np.ndarray | pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes in sorted order of the distinct values (as R's ``factor``), and the levels.

    Numbers sort numerically and everything else as text, so that ``2 < 10`` for a numeric
    stratum code and ``"E" < "H" < "M"`` for a coded one. Missing values are an error for the
    caller to report (code -1)."""
    series = pd.Series(values) if not isinstance(values, pd.Series) else values
    codes, uniques = pd.factorize(series, sort=True, use_na_sentinel=True)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def interaction(*code_arrays: np.ndarray) -> np.ndarray:
    """Codes of the combinations of several code arrays (R's ``interaction``), dense 0..G-1."""
    if len(code_arrays) == 1:
        return pd.factorize(code_arrays[0], sort=True)[0].astype(np.int64)
    combined = np.zeros(code_arrays[0].size, dtype=np.int64)
    for codes in code_arrays:
        base = int(codes.max()) + 1 if codes.size else 1
        # re-densify after every step so the running code never overflows int64
        combined = pd.factorize(combined * base + codes, sort=True)[0].astype(np.int64)
    return combined
