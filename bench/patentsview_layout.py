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


def write_g_folder(folder: Path, rows: int) -> Path:
    """``g_patent`` and its seven siblings, as the current bulk tables: per patent one application,
    1-2 assignees, 3 inventors, 2 IPC, 4 CPC and (every third patent) a foreign priority, with
    locations from a table of 500."""
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    date = "strftime(DATE '2021-01-05' + INTERVAL (7 * (i // 7000)) DAY, '%Y-%m-%d')"
    tables = {
        "g_patent": f"""SELECT CAST(11000000 + i AS VARCHAR) AS patent_id, 'utility' AS patent_type,
                {date} AS patent_date, 'Synthetic method for ' || {WORDS.split()!r}[(i % 20) + 1] || ' ' || i
                AS patent_title, CASE WHEN i % 5 = 0 THEN 'B1' ELSE 'B2' END AS wipo_kind,
                CAST(1 + i % 30 AS VARCHAR) AS num_claims, CASE WHEN i % 1000 = 999 THEN '1' ELSE '0' END
                AS withdrawn, 'ipg' || i // 7000 || '.xml' AS filename FROM range({rows}) t(i)""",
        "g_application": f"""SELECT CAST(16000000 + i AS VARCHAR) AS application_id,
                CAST(11000000 + i AS VARCHAR) AS patent_id, '16' AS patent_application_type,
                strftime(DATE '2018-01-01' + INTERVAL (i % 900) DAY, '%Y-%m-%d') AS filing_date,
                '16' AS series_code, '0' AS rule_47_flag FROM range({rows}) t(i)""",
        "g_assignee_disambiguated": f"""SELECT CAST(11000000 + i AS VARCHAR) AS patent_id,
                CAST(s AS VARCHAR) AS assignee_sequence, 'asg-' || (i * 7 + s) % 50000 AS assignee_id,
                '' AS disambig_assignee_individual_name_first, '' AS disambig_assignee_individual_name_last,
                'Example Company ' || (i * 7 + s) % 50000 AS disambig_assignee_organization,
                CASE WHEN s = 0 THEN '2' ELSE '3' END AS assignee_type, 'loc-' || (i + s) % 500 AS location_id
                FROM range({rows}) t(i), range(2) u(s) WHERE s = 0 OR i % 3 = 0""",
        "g_inventor_disambiguated": f"""SELECT CAST(11000000 + i AS VARCHAR) AS patent_id,
                CAST(s AS VARCHAR) AS inventor_sequence, 'inv-' || (i * 3 + s) AS inventor_id,
                'First' || s AS disambig_inventor_name_first, 'Last' || (i % 9973) AS disambig_inventor_name_last,
                'M' AS gender_code, 'loc-' || (i * 3 + s) % 500 AS location_id
                FROM range({rows}) t(i), range(3) u(s)""",
        "g_location_disambiguated": """SELECT 'loc-' || i AS location_id, 'City ' || i AS disambig_city,
                CASE WHEN i % 2 = 0 THEN 'CA' ELSE '' END AS disambig_state,
                ['US', 'DE', 'JP', 'CN', 'KR', 'FR', 'GB'][(i % 7) + 1] AS disambig_country,
                '0.0' AS latitude, '0.0' AS longitude FROM range(500) t(i)""",
        "g_ipc_at_issue": f"""SELECT CAST(11000000 + i AS VARCHAR) AS patent_id, CAST(s AS VARCHAR) AS ipc_sequence,
                'A' AS classification_level, ['F', 'H', 'G', 'B'][(i + s) % 4 + 1] AS section,
                lpad(CAST(1 + (i + s) % 9 AS VARCHAR), 2, '0') AS ipc_class, 'D' AS subclass,
                CAST(1 + i % 40 AS VARCHAR) AS main_group, lpad(CAST((i * 3 + s) % 100 AS VARCHAR), 2, '0')
                AS subgroup, CASE WHEN s = 0 THEN 'F' ELSE 'L' END AS symbol_position,
                CASE WHEN s = 0 THEN 'I' ELSE 'A' END AS classification_value
                FROM range({rows}) t(i), range(2) u(s)""",
        "g_cpc_current": f"""SELECT CAST(11000000 + i AS VARCHAR) AS patent_id, CAST(s AS VARCHAR) AS cpc_sequence,
                'F' AS cpc_section, 'F01' AS cpc_class, 'F01D' AS cpc_subclass,
                'F01D' || (1 + (i + s) % 25) || '/' || lpad(CAST((i * 7 + s) % 200 AS VARCHAR), 2, '0') AS cpc_group,
                CASE WHEN s = 0 THEN 'inventive' ELSE 'additional' END AS cpc_type
                FROM range({rows}) t(i), range(4) u(s)""",
        "g_foreign_priority": f"""SELECT CAST(11000000 + i AS VARCHAR) AS patent_id, '0' AS priority_claim_sequence,
                'national' AS priority_claim_kind, 'P' || i AS foreign_application_id,
                strftime(DATE '2017-01-01' + INTERVAL (i % 700) DAY, '%Y-%m-%d') AS filing_date,
                ['DE', 'JP', 'KR'][(i % 3) + 1] AS foreign_country_filed FROM range({rows}) t(i) WHERE i % 3 = 0""",
    }
    for name, select in tables.items():
        con.execute(f"COPY ({select}) TO '{folder / (name + '.tsv')}' (HEADER, DELIMITER '\t', QUOTE '\"', "
                    "FORCE_QUOTE *)")
    con.close()
    return folder
