"""Synthetic PatentsView legacy tables at scale, for ``bench/readers.py --tabular``.

``patent.tsv`` in the legacy layout of the real sample (``patent.truncated10.tsv``): every text
field double-quoted, ``num_claims`` and ``withdrawn`` bare, weekly Tuesday dates, abstracts of
about 1 KB, B1/B2 kinds and one withdrawn patent in a thousand; ``uspatentcitation.tsv`` with four
citations per patent. Written by DuckDB, so a few hundred MB take seconds.
"""

from __future__ import annotations

from pathlib import Path

WORDS = ("laser detection ranging array detector photosensitive region oscillator quadrature sample clock "
         "processor data bus serial amplitude phase frequency interference injection molding platen toggle")


def write_patent_tsv(path: Path, rows: int) -> Path:
    import duckdb

    words = WORDS.split()
    con = duckdb.connect()
    con.execute(f"""
        COPY (
            SELECT CAST(10000000 + i AS VARCHAR) AS id, 'utility' AS type, CAST(10000000 + i AS VARCHAR) AS number,
                   'US' AS country,
                   strftime(DATE '2018-01-02' + INTERVAL (7 * (i // 6000)) DAY, '%Y-%m-%d') AS date,
                   'A ' || {words!r}[(i % {len(words)}) + 1] || ' ' || repeat('{" ".join(words[:12])} ', 12)
                       || 'variant ' || i AS abstract,
                   'Method and apparatus for ' || {words!r}[(i % {len(words)}) + 1] || ' number ' || i AS title,
                   CASE WHEN i % 5 = 0 THEN 'B1' ELSE 'B2' END AS kind,
                   1 + i % 40 AS num_claims,
                   'ipg' || strftime(DATE '2018-01-02' + INTERVAL (7 * (i // 6000)) DAY, '%y%m%d') || '.xml'
                       AS filename,
                   CASE WHEN i % 1000 = 999 THEN 1 ELSE 0 END AS withdrawn
            FROM range({rows}) t(i)
        ) TO '{path}' (HEADER, DELIMITER '\t', QUOTE '"',
                        FORCE_QUOTE (id, type, number, country, date, abstract, title, kind, filename))
    """)
    con.close()
    return path


def write_citation_tsv(path: Path, rows: int) -> Path:
    import duckdb

    con = duckdb.connect()
    con.execute(f"""
        COPY (
            SELECT md5(CAST(i AS VARCHAR)) AS uuid, CAST(10000000 + i // 4 AS VARCHAR) AS patent_id,
                   CAST(5000000 + (i * 7919) % 4000000 AS VARCHAR) AS citation_id,
                   strftime(DATE '1995-01-01' + INTERVAL (i % 7000) DAY, '%Y-%m-%d') AS date,
                   'Inventor' || (i % 997) AS name, 'A' AS kind, 'US' AS country,
                   'cited by examiner' AS category, i % 4 AS sequence
            FROM range({rows}) t(i)
        ) TO '{path}' (HEADER, DELIMITER '\t', QUOTE '"')
    """)
    con.close()
    return path
