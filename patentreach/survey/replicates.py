"""Replicate weights: generated from the design (JK1, JKn, bootstrap, BRR, Fay) or given, their
variance formula, and their degrees of freedom.

Generated replicates follow R's ``as.svrepdesign`` (jackknife factors n/(n-1) with the fpc folded
into ``scale``/``rscales``; the bootstrap resamples PSUs within strata, without replacement from
the population when an fpc is known, with R's harmonic-mean scale; BRR/Fay use a Sylvester
Hadamard matrix). Internally every replicate is kept as a column of full *analysis* weights, which
is all that the estimators, calibration and the degrees of freedom need.

The variance is ``scale * sum_r rscales_r (theta_r - centre)^2`` with the centre the mean of the
replicates, or the full-sample estimate when ``mse`` is set. Replicates whose estimate is not
finite (a replicate that deletes a whole domain) are dropped with a warning, as R does.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.linalg import blas, solve_triangular

from patentreach.survey.design import DesignError, ReplicateSpec
from patentreach.survey.grouping import Grouping
from patentreach.survey.structure import SampleStructure


@dataclass
class ReplicateWeights:
    """Replicate analysis weights ``(n, R)``, column-major so that ``A.T @ X`` and ``A.T @ A``
    run at BLAS speed, and how to turn replicate estimates into a variance."""

    analysis: np.ndarray
    scale: float
    rscales: np.ndarray
    mse: bool
    type: str
    degf_given: int | None = None
    clusters: Grouping | None = field(default=None, repr=False)
    row_scale: np.ndarray | None = field(default=None, repr=False)
    _negative: bool | None = field(default=None, repr=False)
    _compressed: tuple[np.ndarray, np.ndarray] | bool | None = field(default=None, repr=False)
    _products: int = field(default=0, repr=False)
    _psu_scaled: sp.csc_matrix | None = field(default=None, repr=False)
    norms: np.ndarray | None = field(default=None, repr=False)

    @property
    def count(self) -> int:
        return self.analysis.shape[1]

    @property
    def has_negative(self) -> bool:
        """Whether any replicate weight is negative (possible after linear calibration), found
        once per design: a logistic refit drops such rows, a mean keeps them."""
        if self._negative is None:
            self._negative = bool(self.analysis.min(initial=0.0) < 0)
        return self._negative

    def changed(self) -> None:
        """Forget what was derived from ``analysis`` (call after replacing or changing it).
        Calibrated replicates vary within a PSU, so they are not tried for compression."""
        self._negative = None
        self._compressed = False
        self.norms = None

    def compressed(self) -> tuple[np.ndarray, np.ndarray] | None:
        """``(row scale s, per-PSU multipliers M)`` with ``analysis == s[:, None] * M[psu]`` to
        a few units in the last place, or None when the replicates are not of that form.

        Replicates made by resampling or deleting PSUs (bootstrap, jackknife, BRR, given
        columns made so) multiply every unit of a PSU by the same factor: R's
        ``as.svrepdesign(compress=TRUE)`` stores them one row per PSU. A product ``A'X`` is
        then ``M'`` times the PSU sums of ``s X``: a (PSUs x R) product instead of a pass over
        the (n x R) matrix. Checked once per design, column by column (no (n, R) temporary)."""
        if self._compressed is None:
            self._compressed = self._compress() or False
        return self._compressed or None

    def _product_form(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The per-PSU form for the next product, or None (products over the full matrix). The
        check costs about three full products, so it is made at the third product on a design
        (one that is used for more than a statistic or two) unless it is known already."""
        self._products += 1
        compressed = self.compressed() if self._products >= 3 or self._compressed is not None else None
        return None if self.clusters is None else compressed

    def transposed_product(self, x: np.ndarray) -> np.ndarray:
        """``analysis.T @ x`` for a block ``x`` (n, p): through the per-PSU multipliers when the
        replicates compress."""
        compressed = self._product_form()
        if compressed is None:
            return self.analysis.T @ x
        scale, multipliers = compressed
        # (PSUs x R)' (PSUs x p): small enough that a threaded BLAS costs more than it saves
        return np.einsum("gr,gk->rk", multipliers, self._psu_sums(scale, x))

    def sums_and_used(
        self,
        values: np.ndarray,
        unused: np.ndarray,
        domain: np.ndarray | None,
        missing: tuple[np.ndarray, np.ndarray],
    ) -> tuple[np.ndarray, np.ndarray]:
        """``A'X`` and ``A'U`` for a block ``values`` (n, p) that is 0 where ``unused``, with
        ``U`` the units used (in ``domain``, not ``missing``: its (rows, columns) in the domain).

        Over the full matrix both are one product, so that the (n, R) matrix is read once.
        Through the per-PSU multipliers ``A'U`` needs no (n, p) block: it is the domain's
        weight per PSU less that of the missing entries (a few percent of a survey's answers);
        a PSU with no unit used is exactly 0, not a rounding residue of the subtraction."""
        compressed = self._product_form()
        p = values.shape[1]
        if compressed is None:
            both = np.empty((values.shape[0], 2 * p))
            both[:, :p] = values
            np.subtract(1.0, unused, out=both[:, p:])
            product = self.analysis.T @ both
            return product[:, :p], product[:, p:]
        assert self.clusters is not None
        scale, multipliers = compressed
        codes, groups = self.clusters.codes, self.clusters.n_groups
        rows, cols = missing
        if domain is None:
            base, units = np.bincount(codes, weights=scale, minlength=groups), self.clusters.counts()
        else:
            base = np.bincount(codes, weights=np.where(domain, scale, 0.0), minlength=groups)
            units = np.bincount(codes, weights=domain, minlength=groups)
        cell = codes[rows] * p + cols
        used = base[:, None] - np.bincount(cell, weights=scale[rows], minlength=groups * p).reshape(groups, p)
        left = units[:, None] - np.bincount(cell, minlength=groups * p).reshape(groups, p)
        used[left == 0] = 0.0
        per_psu = np.concatenate([self._psu_sums(scale, values), used], axis=1)
        product = np.einsum("gr,gk->rk", multipliers, per_psu)
        return product[:, :p], product[:, p:]

    def _psu_sums(self, scale: np.ndarray, x: np.ndarray) -> np.ndarray:
        """PSU sums of ``scale * x`` (G, p) as one sparse product ``S x``: ``S`` (PSUs x n) holds
        each row's scale in its PSU's row, so the scaling costs no pass of its own. Stored by
        column (one entry per row, built without sorting), the product adds each row of a
        row-major ``x`` to its PSU's row: three times faster than a ``bincount`` per column,
        five times faster than the indicator matrix by rows."""
        assert self.clusters is not None
        if self._psu_scaled is None:
            n = scale.size
            self._psu_scaled = sp.csc_matrix(
                (scale, self.clusters.codes, np.arange(n + 1)), shape=(self.clusters.n_groups, n)
            )
        return np.asarray(self._psu_scaled @ np.ascontiguousarray(x))

    def degf(self, rows: np.ndarray | None = None) -> int:
        """Rank of the replicate analysis weights (over ``rows``) minus one: through the PSU
        multipliers' Gram matrix ``M' diag(sum of s^2 per PSU) M`` when they are known (the same
        A'A, without a pass over A), else :func:`replicate_degf`."""
        compressed = self._compressed if isinstance(self._compressed, tuple) else None
        if compressed is None or self.clusters is None:
            if rows is None:
                return replicate_degf(self.analysis, norms=self.norms)
            return replicate_degf(self.analysis[rows])
        scale, multipliers = compressed
        squares = scale * scale if rows is None else np.where(rows, scale * scale, 0.0)
        per_psu = np.bincount(self.clusters.codes, weights=squares, minlength=self.clusters.n_groups)
        # A'A = B'B with B the multipliers scaled by the root of each PSU's sum of squares
        root = np.sqrt(per_psu)
        n_rows = self.analysis.shape[0] if rows is None else int(np.count_nonzero(rows))
        return replicate_degf(multipliers * root[:, None], limit=n_rows)

    def _compress(self) -> tuple[np.ndarray, np.ndarray] | None:
        if self.clusters is None or self.row_scale is None:
            return None
        found = psu_multipliers(self.analysis, self.row_scale, self.clusters)
        if found is not None and self._negative is None:
            self._negative = bool((found[1] < 0).any())
        return found


def psu_multipliers(
    analysis: np.ndarray, scale: np.ndarray, clusters: Grouping
) -> tuple[np.ndarray, np.ndarray] | None:
    """``(scale, M)`` with ``analysis == scale[:, None] * M[psu]``, every unit's multiplier equal
    to its PSU's to 8 ulps of the column's largest one (so that a product through them differs
    from A'X by rounding only); None when not so, when a value is NaN, or when PSUs are too small
    to gain anything."""
    if not np.all(scale > 0) or clusters.n_groups * 4 > analysis.shape[0]:
        return None
    codes = clusters.codes
    first = clusters.first_row()
    multipliers = analysis[first] / scale[first][:, None]
    tolerance = 8 * np.finfo(float).eps
    by_replicate = np.ascontiguousarray(multipliers.T)
    inverse = 1.0 / scale
    ratio = np.empty(analysis.shape[0])
    expected = np.empty(analysis.shape[0])
    for r in range(analysis.shape[1]):  # column by column: contiguous in the column-major matrix
        np.multiply(analysis[:, r], inverse, out=ratio)
        # codes are in range by construction; "clip" skips the bounds-checked buffer (2x faster)
        np.take(by_replicate[r], codes, out=expected, mode="clip")
        ratio -= expected
        bound = tolerance * max(float(np.abs(by_replicate[r]).max()), np.finfo(float).tiny)
        if not (ratio.max() <= bound and ratio.min() >= -bound):  # NaN fails too
            return None
    return scale, multipliers


def replicate_variance(thetas: np.ndarray, full: np.ndarray, reps: ReplicateWeights) -> np.ndarray:
    """Variance of each column of ``thetas`` (R, p) about the replicate mean (or ``full``).

    Replicates without a finite estimate are dropped column by column: a column nobody in a
    domain answered (all NaN) has no variance, and the other columns of its block keep theirs."""
    thetas = thetas if thetas.ndim == 2 else thetas[:, None]
    full = np.atleast_1d(np.asarray(full, dtype=float))
    finite = np.isfinite(thetas)
    if finite.all():
        return _variance_about_centre(thetas, full, reps.rscales, reps)
    out = np.full(thetas.shape[1], np.nan)
    dropped = 0
    for j in np.flatnonzero(finite.any(axis=0)):
        keep = finite[:, j]
        dropped = max(dropped, int((~keep).sum()))
        out[j] = _variance_about_centre(thetas[keep, j : j + 1], full[j : j + 1], reps.rscales[keep], reps)[0]
    if dropped:
        warnings.warn(f"{dropped} replicate(s) gave no finite estimate and were dropped", stacklevel=3)
    return out


def _variance_about_centre(
    thetas: np.ndarray, full: np.ndarray, rscales: np.ndarray, reps: ReplicateWeights
) -> np.ndarray:
    centre = full if reps.mse else thetas[rscales > 0].mean(axis=0)
    return reps.scale * np.sum((thetas - centre) ** 2 * rscales[:, None], axis=0)


def replicate_degf(
    analysis: np.ndarray, tol: float = 1e-5, norms: np.ndarray | None = None, limit: int | None = None
) -> int:
    """Rank of the replicate analysis weights minus one (R's ``degf`` for replicate designs).

    The rank is found column by column as LINPACK's ``dqrdc2`` does with ``tol``: a column counts
    when its residual, after projecting out the columns already counted, keeps at least ``tol``
    of its original length. For a tall matrix a few hundred rows are tried first: a residual over
    some rows is never larger than over all of them, so if every column passes there against its
    full length, the full matrix has full rank and the answer is exact without the full product.
    ``norms``: the columns' lengths, when known already; ``limit``: the rank cannot exceed it (the
    rows of the matrix this one stands for, when it is a compressed form)."""
    n_rows, n_cols = analysis.shape
    limit = n_rows if limit is None else limit
    if n_rows > 8 * n_cols:
        if norms is None:
            norms = np.sqrt(np.einsum("ij,ij->j", analysis, analysis))
        # any rows will do (the test is one-sided); drawn with replacement, as a permutation of
        # every row costs more than the test
        rows = np.unique(np.random.default_rng(0).integers(0, n_rows, size=4 * n_cols))
        subset = analysis[rows]
        if _all_kept(np.einsum("ir,is->rs", subset, subset), norms, tol):  # small: no threaded BLAS
            return n_cols - 1
    gram = _gram(analysis)
    return len(_kept_columns(gram, np.sqrt(np.diag(gram)), tol, limit=limit)) - 1


def _all_kept(gram: np.ndarray, norms: np.ndarray, tol: float) -> bool:
    """Whether every column passes the ``dqrdc2`` test, by one Cholesky factorisation: while all
    earlier columns are kept, the j-th pivot is the squared residual of column j after them, so
    all pass exactly when the factorisation succeeds with every pivot >= tol x the length (else
    the column-by-column test decides)."""
    try:
        chol = np.linalg.cholesky(gram)
    except np.linalg.LinAlgError:
        return len(_kept_columns(gram, norms, tol)) == gram.shape[0]
    if np.all(np.diag(chol) >= tol * norms) and np.all(norms > 0):
        return True
    return len(_kept_columns(gram, norms, tol)) == gram.shape[0]


def _kept_columns(gram: np.ndarray, norms: np.ndarray, tol: float, limit: int | None = None) -> list[int]:
    """Columns that pass the ``dqrdc2`` test in order, from a Gram matrix (incremental Cholesky)."""
    kept: list[int] = []
    chol = np.zeros((0, 0))
    for j in range(gram.shape[0]):
        if norms[j] == 0:
            continue  # dqrdc2 treats a zero column as negligible
        if kept:
            c = solve_triangular(chol, gram[kept, j], lower=True, check_finite=False)
            resid2 = gram[j, j] - c @ c
        else:
            c = np.zeros(0)
            resid2 = gram[j, j]
        if resid2 > 0 and np.sqrt(resid2) >= tol * norms[j]:
            k = len(kept)
            grown = np.zeros((k + 1, k + 1))
            grown[:k, :k] = chol
            grown[k, :k] = c
            grown[k, k] = np.sqrt(resid2)
            chol = grown
            kept.append(j)
        if limit is not None and len(kept) >= limit:
            break
    return kept


def _gram(matrix: np.ndarray) -> np.ndarray:
    """A'A through BLAS ``syrk`` on column-major data (a third of the time of a matmul)."""
    upper = blas.dsyrk(1.0, np.asfortranarray(matrix), trans=1)
    return np.triu(upper) + np.triu(upper, 1).T


def build_replicates(
    data: pd.DataFrame,
    spec: ReplicateSpec,
    structure: SampleStructure,
    lonely_psu: str,
    writable: bool = True,
) -> ReplicateWeights:
    """Replicate analysis weights from the spec: generated from the structure or read from data.

    ``writable``: the matrix will be changed in place (calibration), so it must be the design's
    own copy; otherwise given analysis weights may stay a read-only view of the data's columns."""
    pw = structure.base_weights
    norms = None  # column lengths of the analysis weights, when found on the way
    compressed = None  # per-PSU multipliers, when found on the way
    if spec.generate is not None:
        multipliers, scale, rscales = _generate(spec, structure, lonely_psu)
        analysis = np.multiply(multipliers, pw[:, None], order="F")
    else:
        missing = [c for c in spec.columns if c not in data.columns]
        if missing:
            raise DesignError(f"replicate weight column(s) not in the data: {', '.join(missing)}")
        block = _given_columns(data, list(spec.columns))
        if spec.combined_weights and not writable:
            # used as given: worth compressing now, which also proves there is no NaN and gives
            # the column lengths (see ReplicateWeights.compressed)
            compressed = psu_multipliers(block, pw, structure.stages[0].cluster)
        if compressed is not None:
            per_psu = np.bincount(structure.stages[0].cluster.codes, weights=pw * pw)
            squares = per_psu @ (compressed[1] * compressed[1])
        else:
            # a column's sum of squares is NaN when the column has a NaN: the exact test only
            # then; the sums of squares are the column lengths the degrees of freedom need
            squares = np.einsum("ij,ij->j", block, block)
            if np.isnan(squares).any() and np.isnan(block).any():
                raise DesignError("replicate weight columns have missing or non-numeric values")
        if not spec.combined_weights:
            analysis = np.multiply(block, pw[:, None], order="F")
        elif writable:  # calibration rescales the matrix in place: never in the caller's memory
            analysis = np.array(block, order="F")
        else:
            analysis = block.view()
            analysis.flags.writeable = False
        if spec.combined_weights:
            norms = np.sqrt(squares)
        scale, rscales = _given_scales(spec, block)
    if spec.scale is not None:
        scale = spec.scale
    if spec.rscales is not None:
        given = np.asarray(spec.rscales, dtype=float)
        if given.size not in (1, analysis.shape[1]):
            raise DesignError(f"replicates: `rscales` has {given.size} values for {analysis.shape[1]} replicates")
        rscales = np.broadcast_to(given, (analysis.shape[1],)).copy()
    return ReplicateWeights(
        analysis=analysis,
        scale=float(scale),
        rscales=rscales,
        mse=spec.mse,
        type=spec.type,
        degf_given=spec.degf,
        clusters=structure.stages[0].cluster,
        row_scale=pw,
        norms=norms,
        _compressed=compressed,
        _negative=None if compressed is None else bool((compressed[1] < 0).any()),
    )


def _given_columns(data: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """The replicate columns as one (n, R) float matrix, column-major when pandas holds them so
    (one block of float columns converts without a copy); text is coerced, unreadable values NaN."""
    frame = data[columns]
    if all(pd.api.types.is_float_dtype(t) or pd.api.types.is_integer_dtype(t) for t in frame.dtypes):
        return np.asfortranarray(frame.to_numpy(dtype=float, na_value=np.nan))
    block = np.empty((len(data), len(columns)), order="F")
    for j, column in enumerate(columns):
        series = data[column]
        if not pd.api.types.is_numeric_dtype(series):
            series = pd.to_numeric(series, errors="coerce")
        block[:, j] = series.to_numpy(dtype=float, na_value=np.nan)
    return block


def _given_scales(spec: ReplicateSpec, block: np.ndarray) -> tuple[float, np.ndarray]:
    """R's ``svrepdesign`` defaults for scale and rscales by type."""
    n_rep = block.shape[1]
    ones = np.ones(n_rep)
    if spec.type == "BRR":
        return 1.0 / n_rep, ones
    if spec.type == "Fay":
        return 1.0 / (n_rep * (1 - (spec.rho or 0.0)) ** 2), ones
    if spec.type in ("bootstrap", "subbootstrap"):
        return 1.0 / (n_rep - 1), ones
    if spec.type == "JK1":
        if spec.scale is None:
            if not spec.combined_weights:
                return 1.0 / float(block[:, 0].max()), ones
            warnings.warn(
                "JK1 replicates without `scale`: assuming (R-1)/R with R the number of replicates (no fpc)",
                stacklevel=4,
            )
        return (n_rep - 1) / n_rep, ones
    if spec.type == "JKn":
        if spec.rscales is None:
            if spec.combined_weights:
                raise DesignError(
                    "replicates: JKn analysis weights need `rscales` ((n_h - 1)/n_h for the "
                    "stratum each replicate deletes from)"
                )
            return 1.0, 1.0 / block.max(axis=0)
        return 1.0, ones
    return 1.0, ones


def _generate(spec: ReplicateSpec, structure: SampleStructure, lonely_psu: str) -> tuple[np.ndarray, float, np.ndarray]:
    stage = structure.stages[0]
    psu = stage.cluster.codes
    strata = stage.stratum.codes
    popsize = stage.popsize
    if spec.type == "JK1":
        if structure.has_strata:
            raise DesignError("replicates: JK1 is for unstratified designs; use JKn")
        return _jk1(psu, popsize)
    if spec.type == "JKn":
        if not structure.has_strata:
            raise DesignError("replicates: JKn needs strata; use JK1 or bootstrap")
        return _jkn(strata, psu, popsize, lonely_psu, stage.stratum_labels)
    rng = np.random.default_rng(spec.generate.seed if spec.generate else None)
    n_rep = spec.generate.replicates if spec.generate else 50
    if spec.type == "bootstrap":
        return _bootstrap(strata, psu, popsize, n_rep, rng)
    if spec.type == "subbootstrap":
        return _subbootstrap(strata, psu, n_rep, rng)
    if spec.type in ("BRR", "Fay"):
        if not structure.has_strata:
            raise DesignError(f"replicates: {spec.type} needs strata with two PSUs each")
        if popsize is not None:
            warnings.warn("the finite population correction is dropped for BRR/Fay", stacklevel=4)
        rho = spec.rho or 0.0
        return _brr(strata, psu, rho, stage.stratum_labels)
    raise DesignError(f"replicates: type {spec.type} cannot be generated")


def _psu_order(psu: np.ndarray) -> np.ndarray:
    """PSU codes in order of first appearance (R's ``unique``)."""
    return pd.unique(psu)


def _jk1(psu: np.ndarray, popsize: np.ndarray | None) -> tuple[np.ndarray, float, np.ndarray]:
    units = _psu_order(psu)
    n = units.size
    fpc = 1.0
    if popsize is not None:
        values = np.unique(popsize)
        if values.size > 1:
            raise DesignError("replicates: JK1 needs one population size, the fpc varies")
        fpc = 1.0 if np.isinf(values[0]) else (values[0] - n) / values[0]
    position = np.empty(int(psu.max()) + 1, dtype=np.int64)
    position[units] = np.arange(n)
    mult = np.full((psu.size, n), n / (n - 1))
    mult[np.arange(psu.size), position[psu]] = 0.0
    return mult, fpc * (n - 1) / n, np.ones(n)


def _jkn(
    strata: np.ndarray,
    psu: np.ndarray,
    popsize: np.ndarray | None,
    lonely_psu: str,
    labels: np.ndarray,
) -> tuple[np.ndarray, float, np.ndarray]:
    columns: list[np.ndarray] = []
    rscales: list[float] = []
    n_strata = np.unique(strata).size
    n_units = np.unique(psu).size
    for s in pd.unique(strata):
        rows = strata == s
        units = _psu_order(psu[rows])
        n_h = units.size
        fpc = 1.0
        if popsize is not None:
            pop = popsize[rows][0]
            fpc = 1.0 if np.isinf(pop) else (pop - n_h) / pop
        if fpc == 0:
            continue  # a completely sampled stratum needs no replicates
        if n_h == 1:
            if lonely_psu == "fail":
                raise DesignError(
                    f"stratum {labels[s]!s} has only one PSU: JKn cannot delete it. Set "
                    "`lonely_psu` (certainty, adjust, average or remove) or merge strata"
                )
            if lonely_psu == "adjust":
                col = np.where(rows, 0.0, n_strata / (n_strata - 1))
                columns.append(col)
                rscales.append((n_strata - 1) / n_strata)
            continue
        for unit in units:
            col = np.ones(psu.size)
            col[rows] = n_h / (n_h - 1)
            col[psu == unit] = 0.0
            columns.append(col)
            rscales.append(fpc * (n_h - 1) / n_h)
    if not columns:
        raise DesignError("replicates: every stratum was sampled completely; there is no variance")
    scale = 1.0
    if lonely_psu == "average" and len(columns) < n_units:
        scale = n_units / len(columns)
    return np.column_stack(columns), scale, np.asarray(rscales)


def _bootstrap(
    strata: np.ndarray,
    psu: np.ndarray,
    popsize: np.ndarray | None,
    n_rep: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, float, np.ndarray]:
    """R's ``bootweights``: n_h PSUs drawn per stratum, with replacement, or without
    replacement from the population when its size is known; multiplier = times drawn."""
    units = _psu_order(psu)
    position = np.empty(int(psu.max()) + 1, dtype=np.int64)
    position[units] = np.arange(units.size)
    counts = np.zeros((units.size, n_rep))
    unit_stratum = np.empty(units.size, dtype=np.int64)
    unit_stratum[position[psu]] = strata
    sizes = []
    for s in pd.unique(unit_stratum):
        members = np.flatnonzero(unit_stratum == s)
        n_h = members.size
        sizes.append(n_h)
        pop = None if popsize is None else popsize[strata == s][0]
        if pop is None or np.isinf(pop):
            draws = rng.integers(0, n_h, size=(n_rep, n_h))
            for r in range(n_rep):
                counts[members, r] = np.bincount(draws[r], minlength=n_h)
        else:
            copies = np.full(n_h, int(pop) // n_h)
            copies[: int(pop) % n_h] += 1
            counts[members[rng.permutation(n_h)]] = rng.multivariate_hypergeometric(copies, n_h, size=n_rep).T
    h = 1.0 / np.mean(1.0 / np.asarray(sizes, dtype=float))
    scale = h / ((h - 1) * (n_rep - 1))
    return counts[position[psu]], scale, np.ones(n_rep)


def _subbootstrap(
    strata: np.ndarray, psu: np.ndarray, n_rep: int, rng: np.random.Generator
) -> tuple[np.ndarray, float, np.ndarray]:
    """Rao-Wu rescaled bootstrap: n_h - 1 PSUs with replacement, multiplier count n_h/(n_h-1)."""
    units = _psu_order(psu)
    position = np.empty(int(psu.max()) + 1, dtype=np.int64)
    position[units] = np.arange(units.size)
    unit_stratum = np.empty(units.size, dtype=np.int64)
    unit_stratum[position[psu]] = strata
    mult = np.zeros((units.size, n_rep))
    for s in pd.unique(unit_stratum):
        members = np.flatnonzero(unit_stratum == s)
        n_h = members.size
        if n_h < 2:
            raise DesignError("replicates: the (n-1) bootstrap needs two PSUs in every stratum")
        draws = rng.integers(0, n_h, size=(n_rep, n_h - 1))
        for r in range(n_rep):
            mult[members, r] = np.bincount(draws[r], minlength=n_h) * n_h / (n_h - 1)
    return mult[position[psu]], 1.0 / (n_rep - 1), np.ones(n_rep)


def _sylvester(size: int) -> np.ndarray:
    h = np.array([[1]])
    while h.shape[0] < size:
        h = np.block([[h, h], [h, -h]])
    return h


def _brr(strata: np.ndarray, psu: np.ndarray, rho: float, labels: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
    stratum_ids = pd.unique(strata)
    pairs = []
    for s in stratum_ids:
        units = _psu_order(psu[strata == s])
        if units.size != 2:
            raise DesignError(
                f"BRR/Fay needs exactly two PSUs per stratum; stratum {labels[s]!s} has "
                f"{units.size}: regroup PSUs into pairs or use JKn or the bootstrap"
            )
        pairs.append(units)
    hadamard = _sylvester(len(pairs) + 1)
    n_rep = hadamard.shape[1]
    mult = np.ones((psu.size, n_rep))
    for h, (first, second) in enumerate(pairs):
        sign = hadamard[h + 1]
        in_first = psu == first
        in_second = psu == second
        mult[in_first] = np.where(sign > 0, 2 - rho, rho)
        mult[in_second] = np.where(sign > 0, rho, 2 - rho)
    return mult, 1.0 / (n_rep * (1 - rho) ** 2), np.ones(n_rep)
