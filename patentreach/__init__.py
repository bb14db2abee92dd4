"""patentreach: overseas patent intelligence from real patent-office data.

Data flows one way: ``sources`` (one reader per office format) emit the canonical records of
``model``; ``warehouse`` stores them as Parquet with DuckDB views; ``indicators``, ``transfers``,
``survey`` and ``protect`` read the warehouse; ``report`` and ``web`` present the results; ``cli``
is a thin adapter over all of them.
"""

__version__ = "0.1.0"
