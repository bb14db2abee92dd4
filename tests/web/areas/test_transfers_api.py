"""``/api/v1/transfers/*`` answers as ``patentreach stats transfers <cmd> --format json``."""

from __future__ import annotations

import io

import pytest

from patentreach.indicators.choices import OFFICE_GROUP_ALIASES
from patentreach.transfers.options import GROUP_ALIASES
from tests.web.areas.conftest import cli_json

ALL_TYPES = "assignment,licence,security_interest,release,employee_to_employer,merger"


@pytest.mark.parametrize(("params", "args"), [
    ({}, []),
    ({"types": ALL_TYPES}, ["--types", ALL_TYPES]),
    ({"all_pairs": "true", "by": "origin,destination_group,year", "destination_group": "bri"},
     ["--all-pairs", "--by", "origin,destination_group,year", "--destination-group", "bri"]),
    ({"types": ALL_TYPES, "from": "2015", "to": "2015-12-31", "date_basis": "execution", "origin": "us"},
     ["--types", ALL_TYPES, "--from", "2015", "--to", "2015-12-31", "--date-basis", "execution", "--origin", "us"]),
])
def test_flows_equal_the_cli(client, web_warehouse, params, args) -> None:
    answer = client.get("/api/v1/transfers/flows", params=params)
    assert answer.status_code == 200, answer.text
    assert answer.json() == cli_json(web_warehouse, "stats", "transfers", "flows", *args)


def test_flows_count_what_the_samples_hold(client) -> None:
    rows = client.get("/api/v1/transfers/flows", params={"types": ALL_TYPES}).json()["rows"]
    assert rows == [{"origin": "CA", "destination": "US", "transactions": 1, "patents": 1},
                    {"origin": "US", "destination": "GB", "transactions": 1, "patents": 3}]
    grouped = client.get("/api/v1/transfers/flows", params={
        "all_pairs": "true", "by": "origin,destination_group,year", "destination_group": "belt_and_road"}).json()
    assert {(r["origin"], r["destination_group"], r["year"]): r["patents"] for r in grouped["rows"]} == {
        ("AU", "non-bri", 2015): 1, ("KY", "non-bri", 2015): 2, ("TW", "non-bri", 2015): 2,
        ("US", "non-bri", 2015): 13, ("unknown", "bri", 2015): 1, ("unknown", "non-bri", 2006): 5,
        ("unknown", "non-bri", 2015): 36}
    assert grouped["definition"]["destination_group"] == "bri"


def test_owner_shares_counterparties_records_conveyances_equal_the_cli(client, web_warehouse) -> None:
    cases = [
        ("owner-shares", {"types": ALL_TYPES}, ["--types", ALL_TYPES]),
        ("counterparties", {"types": ALL_TYPES, "limit": "5"}, ["--types", ALL_TYPES, "--limit", "5"]),
        ("counterparties", {"types": ALL_TYPES, "side": "assignor"}, ["--types", ALL_TYPES, "--side", "assignor"]),
        ("records", {"types": ALL_TYPES, "cell": ["origin=us", "destination=GB"]},
         ["--types", ALL_TYPES, "--cell", "origin=us", "--cell", "destination=GB"]),
        ("conveyances", {}, []),
    ]
    for command, params, args in cases:
        answer = client.get(f"/api/v1/transfers/{command}", params=params)
        assert answer.status_code == 200, (command, answer.text)
        assert answer.json() == cli_json(web_warehouse, "stats", "transfers", command, *args), command
    shares = client.get("/api/v1/transfers/owner-shares", params={"types": ALL_TYPES}).json()["rows"]
    assert [(r["origin"], r["owners"], r["transferring_owners"]) for r in shares if r["transferring_owners"]] == [
        ("CA", 9, 1), ("US", 196, 1)]
    records = client.get("/api/v1/transfers/records", params={"types": ALL_TYPES, "cell": ["origin=US",
                                                                                             "destination=GB"]})
    assert [(r["assignee"], r["patents"]) for r in records.json()["rows"]] == [("LOGICNOW LIMITED", 3)]
    conveyances = {(r["conveyance_type"], r["conveyance_text"]): r["transfers"]
                   for r in client.get("/api/v1/transfers/conveyances").json()["rows"]}
    assert conveyances[("merger", "MERGER (SEE DOCUMENT FOR DETAILS).")] == 35


def test_downloads_go_through_the_clis_writer(client) -> None:
    from openpyxl import load_workbook

    csv = client.get("/api/v1/transfers/flows", params={"types": ALL_TYPES, "format": "csv"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[2:] == ["origin,destination,transactions,patents", "CA,US,1,1", "US,GB,1,3"]
    xlsx = client.get("/api/v1/transfers/flows", params={"types": ALL_TYPES, "format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert [list(r) for r in book["rows"].iter_rows(values_only=True)] == [
        ["origin", "destination", "transactions", "patents"], ["CA", "US", 1, 1], ["US", "GB", 1, 3]]


@pytest.mark.parametrize(("params", "message"), [
    ({"types": "gift"}, "unknown conveyance type(s) ['gift']"),
    ({"destination_group": "brii"}, "destination group 'brii' is not known (did you mean bri?)"),
    ({"from": "2015-13-01"}, "from: '2015-13-01' is not a YYYY-MM-DD date or a year"),
    ({"by": "planet"}, "unknown dimension(s) ['planet']"),
])
def test_bad_options_are_400_with_the_clis_line(client, params, message) -> None:
    answer = client.get("/api/v1/transfers/flows", params=params)
    assert answer.status_code == 400
    assert answer.json()["status"] == 400 and message in answer.json()["error"]


def test_bad_cells_and_sides_are_400(client) -> None:
    cell = client.get("/api/v1/transfers/records", params={"cell": "origin"})
    assert (cell.status_code, cell.json()["error"]) == (400, "cell 'origin': expected name=value")
    planet = client.get("/api/v1/transfers/records", params={"cell": "planet=mars"})
    assert planet.status_code == 400 and "the dimension 'planet' is not known" in planet.json()["error"]
    side = client.get("/api/v1/transfers/counterparties", params={"side": "buyer"})
    assert (side.status_code, side.json()["error"]) == (400, "side 'buyer': choose from assignee, assignor")


def test_the_group_aliases_are_the_outbound_ones() -> None:
    assert GROUP_ALIASES == OFFICE_GROUP_ALIASES
