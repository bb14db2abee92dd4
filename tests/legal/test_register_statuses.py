"""The EP Register response (OPS register biblio) as legal events: statuses, designations and
lapses; alone it cannot say where EP2400812 is in force, and says so."""

from __future__ import annotations

from datetime import date

import pytest

from patentreach.legal.fold import Application, status_of
from patentreach.legal.status_model import LAPSED, PENDING, UNKNOWN
from patentreach.sources.ops.register_events import (
    read_register_response,
    register_application,
    register_publications,
)
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def register():
    [(document, events)] = read_register_response(
        shared_path("data", "epo-ops-xml", "epo-ops-go", "get_register_biblio.response.xml"))
    office, number, filed = register_application(document)
    grant = min(d for o, n, kind, d in register_publications(document) if kind.startswith("B") and d)
    return Application(office, number, filed, grant_date=grant), events


def test_the_register_document_gives_statuses_designations_lapses_and_opposition(register) -> None:
    application, events = register
    assert (application.office, application.application_number, application.filing_date, application.grant_date) == (
        "EP", "10167109", date(2010, 6, 24), date(2019, 11, 27))
    codes = [e.event_code for e in events]
    assert codes.count("REG-STATUS") == 4 and codes.count("REG-DESIGNATED") == 1
    assert codes.count("REG-LAPSED") == 33 and codes.count("REG-NO-OPPOSITION") == 1
    pt = next(e for e in events if e.lapse_country == "PT")
    # known since the oldest term-of-grant block that lists it (2020-07-31)
    assert (pt.lapse_date, pt.event_publication_date) == (date(2020, 4, 19), date(2020, 7, 31))


def test_alone_the_register_leaves_the_four_unlapsed_states_undecided(register) -> None:
    application, events = register
    rows = {(r.office, r.via): r for r in status_of(application, events, date(2026, 12, 7))}
    ep = rows[("EP", None)]
    assert ep.status == UNKNOWN
    assert ep.reason.endswith("no state is known to be in force; not decided for: DE, FI, GB, SE")
    assert [o for (o, via), r in rows.items() if via and r.status == LAPSED].__len__() == 33
    assert (rows[("CH", "EP")].status, rows[("CH", "EP")].since) == (LAPSED, date(2020, 6, 30))


def test_before_its_grant_the_register_says_pending_and_after_it_granted(register) -> None:
    application, events = register
    [before] = status_of(application, events, date(2019, 1, 1))
    assert before.status == PENDING
    after = status_of(application, events, date(2019, 11, 28))[0]
    # granted, but without national events no state is known to be in force yet
    assert after.status == UNKNOWN
    assert after.reason.startswith("granted: grant published 2019-11-27; no state is known to be in force")
