"""USPTO ODP application statuses and Lens legal status as legal events, on the real samples."""

from __future__ import annotations

import json
from datetime import date

import pytest

from patentreach.legal.fold import Application, status_of
from patentreach.sources.lens.legal_status import csv_status_event, lens_status_events
from patentreach.sources.uspto_odp import UsptoOdpJson
from patentreach.sources.uspto_odp.application_status import status_event
from tests.conftest import shared_path


def _odp_event(name: str):
    source = UsptoOdpJson()
    with open(shared_path("data", "uspto-odp-json", name), "rb") as handle:
        unit = next(iter(source.units(handle)))
    record = json.loads(unit.data) if isinstance(unit.data, bytes | str) else unit.data
    return status_event(record, source.name, "test", name, unit.index)


@pytest.mark.parametrize(("name", "number", "status_date", "status", "text"), [
    ("patent_client_odp_application.json", "15123456", date(2018, 10, 2), "withdrawn",
     "Abandoned -- Failure to Respond to an Office Action"),
    ("patent-dev_get_patent.response.json", "17248024", date(2023, 4, 19), "in_force", "Patented Case"),
    ("patent-dev_search_patents.response.json", "18597857", date(2024, 3, 28), "pending",
     "Docketed New Case - Ready for Examination"),
])
def test_an_odp_application_status_is_a_dated_event_that_decides_the_status(name, number, status_date, status,
                                                                             text) -> None:
    event = _odp_event(name)
    assert (event.application_number, event.event_code, event.event_publication_date, event.text) == (
        number, "ODP-STATUS", status_date, text)
    [row] = status_of(Application("US", number, date(2016, 1, 1)), [event], date(2026, 12, 7))
    assert row.status == status
    if status != "pending":
        assert row.since == status_date


def test_lens_grant_is_dated_and_its_computed_status_word_is_kept_undated() -> None:
    with open(shared_path("data", "lens", "lens-api-patent-response_EP2471949A1.json"), encoding="utf-8") as handle:
        record = json.load(handle)["data"][0]
    granted, word = lens_status_events(record, "lens.json", 0)
    assert (granted.office, granted.application_number, granted.event_code, granted.effective_date) == (
        "EP", "10197481", "LENS-GRANTED", date(2013, 12, 25))
    assert (word.event_code, word.event_publication_date, word.text) == (
        "LENS-STATUS", None, "Lens status ACTIVE; anticipated term date 2030-12-31")
    rows = status_of(Application("EP", "10197481", date(2010, 12, 31)), [granted, word], date(2026, 12, 7))
    assert (rows[0].status, rows[0].since, rows[0].events) == ("in_force", date(2013, 12, 25),
                                                               ("lens:031-156-664-516-153:granted",))


def test_a_lens_csv_legal_status_cell_is_an_undated_event_and_an_empty_cell_none() -> None:
    event = csv_status_event({"Legal Status": "Discontinued"}, "US", "15123456", "export.csv", 3)
    assert (event.event_code, event.text, event.event_publication_date) == ("LENS-STATUS", "Lens status Discontinued",
                                                                           None)
    assert csv_status_event({"Legal Status": " "}, "US", "1", "export.csv", 3) is None


def test_ingesting_the_lens_api_response_stores_its_legal_status_events(tmp_path) -> None:
    from patentreach.warehouse import Warehouse
    from patentreach.warehouse.ingest import ingest
    from patentreach.warehouse.views import connect

    warehouse = Warehouse(tmp_path / "wh")
    report = ingest([shared_path("data", "lens", "lens-api-patent-response_EP2471949A1.json")], warehouse)
    assert report.failed == []
    con = connect(warehouse)
    try:
        rows = con.execute("SELECT office, application_number, event_code, effective_date FROM legal_events "
                           "ORDER BY sequence").fetchall()
        logged = con.execute("SELECT read, stored, quarantined, skipped FROM ingest_log").fetchall()
    finally:
        con.close()
    assert rows == [("EP", "10197481", "LENS-GRANTED", date(2013, 12, 25)), ("EP", "10197481", "LENS-STATUS", None)]
    assert logged == [(1, 1, 0, 0)]
