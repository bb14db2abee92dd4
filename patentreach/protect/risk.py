"""Third-party risk in an unprotected market: whose patents are in force there in the product's
technology.

From the warehouse (``publications``, ``classifications``, ``parties``), the invention grants that
reach the market (granted by the market's own office, or by a regional office the market was a
member of on the grant's filing date) and whose 20-year term has not ended on the as-of date,
sharing an IPC subclass or main group with the product line's families. Symbols of both the IPC
and CPC schemes are compared at subclass (``F04D``) and main-group (``F04D 15``) level, where
the two schemes agree. Grants are ranked by shared main groups, then shared subclasses, then the
most recent grant; owners are counted over all matching grants.

Without lapse data a grant within its term is only *assumed* in force; a regional grant (EP, ...)
is counted without knowing where it was validated. Both are said in the result.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import duckdb

from patentreach.protect.regional_reach import REGIONAL_GROUPS
from patentreach.refdata.country_groups import memberships
from patentreach.warehouse import Warehouse, connect

CAVEAT = ("assumed in force: 20 years from the application date, no lapse data; regional grants counted "
          "without validation data")


@dataclass(frozen=True, slots=True)
class Risk:
    product_line: str
    market: str
    publications: int
    top: tuple[dict[str, object], ...]
    top_owners: tuple[dict[str, object], ...]
    ipc_keys: tuple[str, ...]
    note: str = CAVEAT

    def as_dict(self) -> dict[str, object]:
        return {
            "product_line": self.product_line,
            "market": self.market,
            "publications": self.publications,
            "ipc_keys": list(self.ipc_keys),
            "top": list(self.top),
            "top_owners": list(self.top_owners),
            "note": self.note,
        }


def ipc_keys(symbols: Collection[str]) -> tuple[set[str], set[str]]:
    """Subclasses and main groups (``F04D``, ``F04D 15``) of normalised IPC symbols."""
    subclasses, groups = set(), set()
    for symbol in symbols:
        subclasses.add(symbol[:4])
        if "/" in symbol:
            groups.add(symbol.split("/", 1)[0])
    return subclasses, groups


def _reach_rows(market: str) -> list[tuple[str, date | None, date | None]]:
    rows: list[tuple[str, date | None, date | None]] = [(market, None, None)]
    for office, groups in REGIONAL_GROUPS.items():
        for row in memberships():
            if row.group in groups and row.country == market:
                rows.append((office, row.valid_from, row.valid_to))
    return rows


def _has_view(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchone()[0])


def _grant_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The warehouse's grants and their IPC/CPC keys, read from the views once per connection (one
    gap report asks for every market: each asking the views again cost most of a second)."""
    if _has_view(con, "risk_grant_classes"):
        return
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE risk_grants AS
        SELECT pub_id, office, title, pub_date, application_date,
               coalesce(application_date, earliest_priority_date, pub_date) AS term_start
        FROM publications WHERE doc_type = 'invention_grant'
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE risk_grant_classes AS
        SELECT DISTINCT c.pub_id, left(c.symbol, 4) AS subclass,
               CASE WHEN contains(c.symbol, '/') THEN split_part(c.symbol, '/', 1) END AS main_group
        FROM classifications c SEMI JOIN risk_grants g ON c.pub_id = g.pub_id
        WHERE c.scheme IN ('IPC', 'CPC')
        """
    )


def market_risk(
    con: duckdb.DuckDBPyConnection,
    product_line: str,
    market: str,
    symbols: Collection[str],
    as_of: date,
    exclude: Collection[str] = (),
    top: int = 10,
) -> Risk:
    """The ranked grants in force in ``market`` sharing IPC subclasses or main groups with ``symbols``."""
    subclasses, groups = ipc_keys(symbols)
    keys = tuple(sorted(groups | subclasses))
    if not subclasses:
        return Risk(product_line, market, 0, (), (), keys, "no IPC symbols for the product line's families")
    _temp_table(con, "risk_sub", "subclass VARCHAR", [[s] for s in sorted(subclasses)])
    _temp_table(con, "risk_grp", "main_group VARCHAR", [[g] for g in sorted(groups)])
    _temp_table(con, "risk_reach", "office VARCHAR, valid_from DATE, valid_to DATE",
                [list(row) for row in _reach_rows(market)])
    _temp_table(con, "risk_own", "pub_id VARCHAR", [[p] for p in sorted(set(exclude))])
    _grant_tables(con)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE risk_hits AS
        WITH matched AS (
          SELECT pub_id,
                 list(DISTINCT main_group ORDER BY main_group)
                   FILTER (WHERE main_group IN (SELECT main_group FROM risk_grp)) AS shared_groups,
                 list(DISTINCT subclass ORDER BY subclass) AS shared_subclasses
          FROM risk_grant_classes WHERE subclass IN (SELECT subclass FROM risk_sub) GROUP BY pub_id
        )
        SELECT p.pub_id, p.office, p.title, p.pub_date, p.application_date, p.term_start,
               coalesce(m.shared_groups, []) AS shared_groups, m.shared_subclasses
        FROM risk_grants p JOIN matched m USING (pub_id)
        WHERE p.pub_date <= ? AND p.term_start + INTERVAL 20 YEAR > ?
          AND p.pub_id NOT IN (SELECT pub_id FROM risk_own)
          AND EXISTS (
            SELECT 1 FROM risk_reach r WHERE r.office = p.office
              AND (r.valid_from IS NULL OR coalesce(p.application_date, p.pub_date) >= r.valid_from)
              AND (r.valid_to IS NULL OR coalesce(p.application_date, p.pub_date) <= r.valid_to))
        """,
        [as_of, as_of],
    )
    total = con.execute("SELECT count(*) FROM risk_hits").fetchone()[0]
    owner_view = "party_entity" if _has_view(con, "party_entity") else None
    owner = _owner_sql(owner_view)
    ranked = con.execute(
        f"""
        SELECT h.pub_id, h.office, h.title, h.pub_date, h.term_start + INTERVAL 20 YEAR AS expires,
               h.shared_groups, h.shared_subclasses,
               ({owner.format(pub="h.pub_id")}) AS owner
        FROM risk_hits h
        ORDER BY len(h.shared_groups) DESC, len(h.shared_subclasses) DESC, h.pub_date DESC, h.pub_id
        LIMIT ?
        """,
        [top],
    ).fetchall()
    owners = con.execute(
        f"""
        SELECT owner, count(*) AS grants FROM (
          SELECT ({owner.format(pub="h.pub_id")}) AS owner FROM risk_hits h
        ) WHERE owner IS NOT NULL GROUP BY owner ORDER BY grants DESC, owner LIMIT ?
        """,
        [top],
    ).fetchall()
    return Risk(
        product_line=product_line,
        market=market,
        publications=int(total),
        top=tuple(
            {
                "pub_id": pub_id,
                "office": office,
                "title": title,
                "granted": granted.isoformat() if granted else None,
                "term_ends": expires.date().isoformat() if hasattr(expires, "date") else str(expires),
                "shared_main_groups": list(shared_groups),
                "shared_subclasses": list(shared_subclasses),
                "owner": owner_name,
                "in_force": "assumed" + ("" if office == market else f" (via {office}; validation not known)"),
            }
            for pub_id, office, title, granted, expires, shared_groups, shared_subclasses, owner_name in ranked
        ),
        top_owners=tuple({"owner": name, "grants": count} for name, count in owners),
        ipc_keys=keys,
    )


def _temp_table(con: duckdb.DuckDBPyConnection, name: str, columns: str, rows: list[list[object]]) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name}({columns})")
    if rows:
        marks = ", ".join("?" for _ in rows[0])
        con.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)


def _owner_sql(entity_view: str | None) -> str:
    """SQL giving one owner name for a publication (``{pub}``): its first assignee, else applicant;
    the harmonised entity name where ``party_entity`` has one, else the printed name."""
    printed = (
        "SELECT upper(trim(x.name)) FROM parties x WHERE x.pub_id = {pub} "
        "AND x.role IN ('assignee', 'applicant') ORDER BY x.role = 'applicant', x.sequence LIMIT 1"
    )
    if not entity_view:
        return printed
    harmonised = (
        "SELECT e.normalised_name FROM party_entity e WHERE e.pub_id = {pub} "
        "AND e.role IN ('assignee', 'applicant') ORDER BY e.role = 'applicant', e.sequence LIMIT 1"
    )
    return f"SELECT coalesce(({harmonised}), ({printed}))"


def open_warehouse(warehouse: Warehouse) -> duckdb.DuckDBPyConnection | None:
    """A connection to the warehouse views, or None when there is no warehouse."""
    if not warehouse.exists():
        return None
    return connect(warehouse)
