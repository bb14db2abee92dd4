"""A reader's Python rule over several Arrow columns, run once per distinct combination of values.

The native JSON Lines mapping (``native_jsonl``) keeps the per-row reader's own rules exact
(``typed_by_flags``, ``priority_kind``) without a Python loop per row: each column is dictionary
encoded, the rows' combinations of codes are numbered with numpy, and the rule runs on the values
of each distinct combination only. Joining the values into one text key would need a separator no
value can hold; the codes need none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa


def per_distinct_rows(columns: Sequence[pa.Array], rule: Callable[..., Any], kind: pa.DataType) -> pa.Array:
    """``rule(*values)`` of every row of ``columns`` (equal lengths), once per distinct row."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(columns[0])
    combined = np.zeros(n, dtype=np.int64)
    codes, values = [], []
    for column in columns:
        if column.null_count == n:  # an absent column: one value, nothing to number
            codes.append(np.zeros(n, dtype=np.int64))
            values.append([None])
            continue
        encoded = pc.dictionary_encode(column)
        code = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64) + 1
        codes.append(code)
        values.append([None, *encoded.dictionary.to_pylist()])
        # renumbered after each column, so the combined code stays below the row count
        combined = np.unique(combined * len(values[-1]) + code, return_inverse=True)[1].reshape(-1)
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    results = pa.array([rule(*(v[c[i]] for v, c in zip(values, codes, strict=True))) for i in first], kind)
    return results.take(pa.array(inverse.reshape(-1), pa.int64()))
