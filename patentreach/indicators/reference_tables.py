"""Reference data as Ibis expressions: office groups, jurisdictions and the IPC concordance.

The dated tables of ``patentreach.refdata`` are small; they enter a query either as literal
conditions (an office set: ``office IN (...)`` plus one dated condition per dated membership) or
as in-memory tables joined on equality (the IPC concordance), so the same expression runs on
every engine and no round trip to fetch distinct values is needed.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import ibis
import ibis.expr.types as ir

from patentreach.refdata.country_groups import group_names, memberships
from patentreach.refdata.loader import load_table

# A regional office and the group whose members are its jurisdiction (WIPO: residents of a
# member state filing at the regional office are resident applicants of that office).
REGIONAL_JURISDICTIONS = {"EP": "epc", "EA": "eapo", "AP": "aripo", "OA": "oapi", "GC": "gcc"}


def is_group(name: str) -> bool:
    return name.lower() in group_names()


def _dated(group: str) -> tuple[frozenset[str], list[tuple[str, date | None, date | None]]]:
    """(members whose membership has no dates, dated memberships) of a group."""
    rows = [m for m in memberships() if m.group == group.lower()]
    undated = frozenset(m.country for m in rows if m.valid_from is None and m.valid_to is None)
    dated = [(m.country, m.valid_from, m.valid_to) for m in rows if m.valid_from or m.valid_to]
    return undated, dated


def in_group(code: ir.StringValue, day: ir.DateValue, group: str) -> ir.BooleanValue:
    """Whether ``code`` was a member of ``group`` on ``day`` (memberships are dated)."""
    undated, dated = _dated(group)
    condition = code.isin(sorted(undated)) if undated else ibis.literal(False)
    for country, start, end in dated:
        term = code == country
        if start:
            term &= day >= ibis.literal(start)
        if end:
            term &= day <= ibis.literal(end)
        condition |= term
    return condition


def office_condition(office: ir.StringValue, day: ir.DateValue, offices: tuple[str, ...]) -> ir.BooleanValue:
    """``office`` is one of the given codes or in one of the given groups (on ``day``)."""
    codes = sorted(o for o in offices if not is_group(o))
    condition = office.isin(codes) if codes else ibis.literal(False)
    for group in (o for o in offices if is_group(o)):
        condition |= in_group(office, day, group)
    return condition


def resident(office: ir.StringValue, origin: ir.StringValue, day: ir.DateValue) -> ir.BooleanValue:
    """WIPO's resident filing: the origin is the office's country, or a member state of the
    regional office on ``day``."""
    condition = origin == office
    for regional, group in REGIONAL_JURISDICTIONS.items():
        condition |= (office == regional) & in_group(origin, day, group)
    return condition.fill_null(False)


@cache
def _concordance() -> tuple[dict[str, list], dict[str, list]]:
    exact: dict[str, list] = {"c_subclass": [], "c_main": [], "c_field": []}
    whole: dict[str, list] = {"w_subclass": [], "w_field": []}
    for row in load_table("ipc_technology_fields"):
        subclass, field = row["ipc_subclass"].strip().upper(), int(row["field"])
        if row.get("main_group"):
            exact["c_subclass"].append(subclass)
            exact["c_main"].append(int(row["main_group"]))
            exact["c_field"].append(field)
        else:
            whole["w_subclass"].append(subclass)
            whole["w_field"].append(field)
    return exact, whole


def concordance_tables() -> tuple[ir.Table, ir.Table]:
    """(subclass + main group -> field, whole subclass -> field) as in-memory tables."""
    exact, whole = _concordance()
    schema_exact = ibis.schema({"c_subclass": "string", "c_main": "int64", "c_field": "int64"})
    schema_whole = ibis.schema({"w_subclass": "string", "w_field": "int64"})
    return ibis.memtable(exact, schema=schema_exact), ibis.memtable(whole, schema=schema_whole)
