"""An enterprise's portfolio read from the warehouse: the families of one harmonised entity.

The harmonisation step writes ``derived/party_entity.parquet`` (pub_id, role, sequence,
entity_id, normalised_name, sector, sector_rule), which the warehouse shows as the view
``party_entity``. The entity's invention applications and grants (as applicant or assignee) are
grouped into families: by the source's family id where there is one, else by the earliest Paris
priority claim (office + number), else by the PCT application, else the application itself.
Per family and office, one filing per application number: granted when a grant was published
(the grant date is its publication date), else pending; lapse data does not exist in the
publications, so ``gaps`` asks the legal-status engine (``legal_status.entity_statuses``) for the
entity's applications; without it a grant is only assumed in force, and the report says so.

The warehouse has no designated-states table yet, so a regional grant's validations are not
known: coverage calls such a market "unconfirmed" instead of guessing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import duckdb

from patentreach.model.records import DocType
from patentreach.protect.portfolio import REGIONAL_OFFICES, Family, Filing, Portfolio
from patentreach.warehouse import Warehouse, connect
from patentreach.warehouse.freshness import StaleDerivedTables, require_fresh


class EntityError(ValueError):
    """The warehouse cannot give this entity's portfolio (no entity view, unknown entity)."""


@dataclass
class _Publication:
    pub_id: str
    office: str
    doc_type: str
    pub_date: date
    application_number: str | None
    application_date: date | None
    earliest_priority_date: date | None
    family_id: str | None
    route: str
    title: str | None


def read_entity_portfolio(warehouse: Warehouse, entity_id: str) -> Portfolio:
    """The entity's portfolio from the derived ``party_entity`` view (``EntityError`` when absent)."""
    if not warehouse.exists():
        raise EntityError(f"{warehouse.root}: no warehouse here (run `patentreach ingest` first)")
    # party_entity is a harmonised table: built before the last ingest, it would silently leave
    # the new publications out of the portfolio, so a stale one is refused (one line: what to run).
    try:
        require_fresh(warehouse)
    except StaleDerivedTables as exc:
        raise EntityError(str(exc)) from None
    con = connect(warehouse)
    try:
        return _portfolio(con, warehouse, entity_id)
    finally:
        con.close()


def _portfolio(con: duckdb.DuckDBPyConnection, warehouse: Warehouse, entity_id: str) -> Portfolio:
    views = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "party_entity" not in views:
        raise EntityError(
            f"{warehouse.root}: the warehouse has no party_entity view (derived/party_entity.parquet): "
            "harmonise the parties into entities first, or give the portfolio as a file"
        )
    names = con.execute(
        "SELECT DISTINCT normalised_name FROM party_entity WHERE entity_id = ? AND role IN ('applicant', 'assignee')",
        [entity_id],
    ).fetchall()
    if not names:
        raise EntityError(f"entity {entity_id!r} is not an applicant or assignee of any publication in the warehouse")
    rows = con.execute(
        """
        SELECT p.pub_id, p.office, p.doc_type, p.pub_date, p.application_number, p.application_date,
               p.earliest_priority_date, p.family_id, p.route, p.title
        FROM publications p
        WHERE p.pub_id IN (SELECT pub_id FROM party_entity WHERE entity_id = ? AND role IN ('applicant', 'assignee'))
          AND p.doc_type IN (?, ?)
        ORDER BY p.pub_id
        """,
        [entity_id, DocType.INVENTION_GRANT.value, DocType.INVENTION_APPLICATION.value],
    ).fetchall()
    pubs = [_Publication(*row) for row in rows]
    ids = [pub.pub_id for pub in pubs]
    priorities = _by_pub(con, "SELECT pub_id, office, number, date, kind FROM priorities WHERE pub_id IN "
                         "(SELECT unnest(?::VARCHAR[])) ORDER BY pub_id, sequence", ids)
    symbols = _by_pub(con, "SELECT pub_id, scheme, symbol FROM classifications WHERE pub_id IN "
                      "(SELECT unnest(?::VARCHAR[])) ORDER BY pub_id, sequence", ids)
    groups: dict[str, list[_Publication]] = defaultdict(list)
    for pub in pubs:
        groups[_family_key(pub, priorities.get(pub.pub_id, []))].append(pub)
    families = {key: _family(key, members, priorities, symbols) for key, members in groups.items()}
    owner = sorted(name for (name,) in names if name)
    return Portfolio(
        owner=owner[0] if owner else entity_id,
        families=families,
        source=f"warehouse entity {entity_id} ({warehouse.root})",
        warnings=(
            "portfolio from the warehouse: no designations data (regional grants' validations unconfirmed)",
        ),
        publications=tuple(ids),
        entity_warehouse=warehouse,
    )


def _by_pub(con: duckdb.DuckDBPyConnection, sql: str, ids: list[str]) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = defaultdict(list)
    if ids:
        for row in con.execute(sql, [ids]).fetchall():
            out[row[0]].append(row[1:])
    return out


def _family_key(pub: _Publication, priorities: list[tuple]) -> str:
    if pub.family_id:
        return f"family {pub.family_id}"
    paris = sorted((d, o, n) for o, n, d, kind in priorities if kind == "paris" and d and n)
    if paris:
        _, office, number = paris[0]
        return f"{office}{number}".replace(" ", "")
    pct = [n for o, n, d, kind in priorities if kind == "pct" and n]
    if pct:
        return pct[0].replace(" ", "")
    return f"{pub.office}{pub.application_number or pub.pub_id}"


def _family(key: str, members: list[_Publication], priorities: dict[str, list[tuple]],
            symbols: dict[str, list[tuple]]) -> Family:
    claims = [claim for pub in members for claim in priorities.get(pub.pub_id, [])]
    dates = [pub.earliest_priority_date or pub.application_date for pub in members]
    priority_date = min(d for d in dates if d is not None)
    pct = sorted((d, n) for o, n, d, kind in claims if kind == "pct" and d)
    paris = sorted((d, o) for o, n, d, kind in claims if kind == "paris" and d)
    ipc = [s for pub in members for scheme, s in symbols.get(pub.pub_id, []) if scheme == "IPC"]
    if not ipc:
        ipc = [s for pub in members for scheme, s in symbols.get(pub.pub_id, []) if scheme == "CPC"]
    filings = _filings(key, members, has_pct=bool(pct))
    home = paris[0][1] if paris and paris[0][0] == priority_date else None
    return Family(
        family=key,
        priority_date=priority_date,
        filings=filings,
        pct_number=pct[0][1] if pct else None,
        pct_date=pct[0][0] if pct else None,
        priority_office=home,
        ipc=tuple(dict.fromkeys(ipc)),
        title=next((pub.title for pub in members if pub.title), None),
    )


def _filings(family: str, members: list[_Publication], has_pct: bool) -> tuple[Filing, ...]:
    by_application: dict[tuple[str, str], list[_Publication]] = defaultdict(list)
    for pub in members:
        by_application[(pub.office, pub.application_number or pub.pub_id)].append(pub)
    filings = []
    for (office, number), pubs in sorted(by_application.items()):
        grants = sorted(pub.pub_date for pub in pubs if pub.doc_type == DocType.INVENTION_GRANT.value)
        via_pct = any(pub.route == "pct" for pub in pubs) or (office in REGIONAL_OFFICES and has_pct)
        route = "pct" if via_pct else "direct"
        filings.append(
            Filing(
                family=family,
                office=office,
                route=route,
                status="granted" if grants else "pending",
                application_number=number,
                application_date=min((p.application_date for p in pubs if p.application_date), default=None),
                grant_date=grants[0] if grants else None,
                origin="warehouse " + ", ".join(sorted(pub.pub_id for pub in pubs)),
                validations_known=office not in REGIONAL_OFFICES,
            )
        )
    return tuple(filings)
