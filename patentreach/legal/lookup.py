"""Which applications a user means, and the statuses with the events behind them, for one
publication (``EP2400812``, ``EP-2400812-B1``, ``US9648662B2``, or an application number such as
``EP10167109``) or one harmonised entity (its applicant and assignee publications).

The ``status`` command shows this; errors are ``LookupProblem`` with one line naming what was not
found, never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from patentreach.legal.fold import RestorationRule
from patentreach.legal.status import application_rows, statuses_from_rows
from patentreach.legal.status_model import RightStatus
from patentreach.warehouse.layout import Warehouse

_SEPARATORS = re.compile(r"[\s\-/,.]")


class LookupProblem(ValueError):
    """A publication or entity the warehouse does not hold (one line)."""


@dataclass(frozen=True, slots=True)
class StatusReport:
    subject: str  # what was asked for
    as_of: date
    statuses: list[RightStatus]
    events: dict[str, dict[str, Any]]  # event_id -> the event's columns
    applications: list[tuple[str, str]]


def normalise_number(text: str) -> str:
    """``"EP 2 400 812-B1"`` -> ``"EP2400812B1"``."""
    return _SEPARATORS.sub("", text).upper()


def _publication_applications(con: Any, text: str) -> list[tuple[str, str]]:
    key = normalise_number(text)
    rows = con.execute(
        """
        SELECT DISTINCT office, application_number FROM publications
        WHERE application_number IS NOT NULL AND (
              upper(replace(pub_id, '-', '')) = $key OR upper(office || number) = $key
           OR upper(office || ltrim(number, '0')) = $key
           OR upper(office || regexp_replace(application_number, '[^0-9A-Za-z]', '', 'g')) = $key)
        UNION
        SELECT DISTINCT office, application_number FROM legal_events
        WHERE upper(office || regexp_replace(application_number, '[^0-9A-Za-z]', '', 'g')) = $key
        ORDER BY 1, 2
        """,
        {"key": key},
    ).fetchall()
    if not rows:
        raise LookupProblem(f"publication {text!r}: no publication or application with that number in the warehouse")
    return [(office, number) for office, number in rows]


def _entity_applications(con: Any, entity_id: str) -> list[tuple[str, str]]:
    views = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "party_entity" not in views:
        raise LookupProblem("--entity: the warehouse has no party_entity view: run `patentreach harmonize` first")
    rows = con.execute(
        """
        SELECT DISTINCT p.office, p.application_number FROM publications p
        WHERE p.application_number IS NOT NULL AND p.pub_id IN (
            SELECT pub_id FROM party_entity WHERE entity_id = ? AND role IN ('applicant', 'assignee'))
        ORDER BY 1, 2
        """,
        [entity_id],
    ).fetchall()
    if not rows:
        raise LookupProblem(f"--entity {entity_id!r}: not an applicant or assignee of any publication in the warehouse")
    return [(office, number) for office, number in rows]


def status_report(
    warehouse: Warehouse,
    as_of: date,
    publication: str | None = None,
    entity: str | None = None,
    restoration: RestorationRule | None = None,
) -> StatusReport:
    """The statuses on ``as_of`` of the applications of one publication or one entity."""
    from patentreach.warehouse.views import connect

    if not warehouse.exists():
        raise LookupProblem(f"{warehouse.root}: no warehouse here (run `patentreach ingest` first)")
    con = connect(warehouse)
    try:
        if entity is not None:
            applications, subject = _entity_applications(con, entity), f"entity {entity}"
        elif publication is not None:
            applications, subject = _publication_applications(con, publication), publication
        else:
            raise LookupProblem("give a PUBLICATION number or --entity ID")
        rows = application_rows(con, applications)
    finally:
        con.close()
    events = {event["event_id"]: event for row in rows for event in row["events"]}
    return StatusReport(subject, as_of, statuses_from_rows(rows, as_of, restoration), events, applications)
