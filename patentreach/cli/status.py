"""``patentreach status PUBLICATION|--entity ID [--as-of DATE]``: the legal status of a right, with
the events behind it.

Thin adapter over :mod:`patentreach.legal.lookup`: one row per application at its office (and, for
a European patent, per state named by its events), then the events that decided each row (date,
code, meaning, label from the event-code table in English or Chinese, text). ``--format csv|json``
prints the same rows (events joined into one cell for CSV, a list for JSON); CSV cells are
neutralised against spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from patentreach.cli.consoles import Console, Table, Text
from patentreach.cli.options import FormatOption, WarehouseOption
from patentreach.cli.output import fail

if TYPE_CHECKING:
    from patentreach.legal.lookup import StatusReport

STATUS_COLUMNS = ("office", "via", "application_number", "status", "since", "expiry", "restorable_until", "reason")
FORMATS = ("table", "csv", "json")


def status(
    publication: Annotated[str | None, typer.Argument(help="Publication or application number, e.g. EP2400812B1.",
                                                      show_default=False)] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="A harmonised entity id: all its publications.",
                                               show_default=False)] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="YYYY-MM-DD",
                                              help="Status on this date (default: today).", show_default=False)] = None,
    warehouse: WarehouseOption = None,
    fmt: FormatOption = "table",
    lang: Annotated[str, typer.Option("--lang", help="Language of the event labels: en or zh.")] = "en",
) -> None:
    """Legal status (pending, in force, lapsed, expired, withdrawn, refused, revoked, unknown) on a
    date, with the expiry and the events behind it."""
    from patentreach.legal.lookup import LookupProblem, status_report
    from patentreach.warehouse.layout import Warehouse

    if fmt not in FORMATS:
        fail(f"--format {fmt!r}: choose table, csv or json")
    if (publication is None) == (entity is None):
        fail("give either a PUBLICATION number or --entity ID")
    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        fail(f"--as-of {as_of!r}: not a date (YYYY-MM-DD)")
    try:
        report = status_report(Warehouse.locate(warehouse), day, publication=publication, entity=entity)
    except LookupProblem as exc:
        fail(str(exc))
    console = Console()
    if fmt == "table":
        _table(report, console, lang)
    else:
        _flat(report, console, fmt, lang)


def _cell(value: object) -> str:
    return "" if value is None else value.isoformat() if isinstance(value, date) else str(value)


def _event_rows(report: StatusReport, ids: tuple[str, ...], lang: str) -> list[dict[str, Any]]:
    from patentreach.refdata.inpadoc_event_codes import meaning_of

    rows = []
    for event_id in ids:
        event = report.events.get(event_id)
        if event is None:  # a grant taken from a publication, not an event
            continue
        meaning = meaning_of(event["event_authority"], event["event_code"], event["text"])
        when = (event["lapse_date"] or event["effective_date"] or event["fee_payment_date"]
                or event["event_publication_date"])
        rows.append({"event_id": event_id, "date": _cell(when), "authority": event["event_authority"],
                     "code": event["event_code"], "meaning": meaning.meaning, "label": meaning.label(lang),
                     "text": event["text"] or "", "source": event["source_format"]})
    return rows


def _table(report: StatusReport, console: Console, lang: str) -> None:
    console.print(Text(f"Legal status of {report.subject} on {report.as_of.isoformat()} "
                       f"({len(report.applications)} application(s))"))
    table = Table(*STATUS_COLUMNS)
    for row in report.statuses:
        table.add_row(*[Text(_cell(getattr(row, column))) for column in STATUS_COLUMNS])
    console.print(table)
    events = Table("status row", "date", "code", "meaning", "label", "text", title="Events behind each status")
    for row in report.statuses:
        name = f"{row.office}{' via ' + row.via if row.via else ''} {row.application_number}"
        for event in _event_rows(report, row.events, lang):
            events.add_row(*[Text(v) for v in (name, event["date"], f"{event['authority']} {event['code']}",
                                               event["meaning"], event["label"], event["text"])])
    if events.row_count:
        console.print(events)
    if any(not r.events and r.status == "unknown" for r in report.statuses):
        console.print(Text("note: 'unknown' rows have no legal events in this warehouse; ingest the office's legal "
                           "events (OPS legal, PATSTAT tls231, USPTO maintenance-fee events) to decide them"))


def _flat(report: StatusReport, console: Console, fmt: str, lang: str) -> None:
    records = []
    for row in report.statuses:
        record: dict[str, Any] = {column: _cell(getattr(row, column)) for column in STATUS_COLUMNS}
        record["as_of"] = report.as_of.isoformat()
        record["events"] = _event_rows(report, row.events, lang)
        records.append(record)
    if fmt == "json":
        console.file.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
        return
    from patentreach.model.spreadsheet_cells import neutralise  # (the model loads when rows are written)

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = [*STATUS_COLUMNS, "as_of", "events"]
    writer.writerow(columns)
    for record in records:
        record["events"] = " | ".join(f"{e['date']} {e['authority']} {e['code']} {e['meaning']}"
                                      for e in record["events"])
        writer.writerow([neutralise(record[c]) for c in columns])
    console.file.write(buffer.getvalue())
