"""The bulletin's transfers section: transfers and licences from the origin's owners to the Belt
and Road countries in the year, by destination country.

Every number is a cell of ``patentreach stats transfers flows`` (``patentreach.transfers.run``):
the total for the year and the year before (its change), and one row per destination. Origin
and destination are the parties' countries as the transfer statistics resolve them (printed, or
found on the patents' publications: ``transfers/party_countries.py``); the group membership is
as of the transfer's date. A warehouse without transfer records, or without any in the year, is
said in the section's note (what to ingest), never printed as zero.

Options: ``date_basis`` (``record``, the default, or ``execution``).
"""

from __future__ import annotations

from typing import Any

from patentreach.report.bulletin.context import BulletinContext
from patentreach.report.bulletin.model import N_, Column, Figure, Name, Ref, Section, SectionUnavailable, Table, Text
from patentreach.report.bulletin.sections.transfer_chart import destination_chart
from patentreach.report.bulletin.sections.transfer_commands import TransferQuery

TITLE = N_("Transfers and licences to Belt and Road countries")
NO_TRANSFERS = N_(
    "The warehouse holds no transfer records. Ingest assignment or licence records first, e.g. USPTO "
    "assignment XML (`patentreach ingest ad*.xml`), EPO OPS legal events or PATSTAT's assignment tables.")
NO_YEAR = N_(
    "The warehouse holds no transfers recorded in %(year)s: its transfers are recorded from %(first)s to "
    "%(last)s. Ingest the assignment records of %(year)s (e.g. USPTO daily assignment files).")
NOTHING_FOUND = N_(
    "None of the transfers recorded in %(year)s is from an owner in %(origin)s to a Belt and Road country "
    "(parties' countries as printed or found on the patents' publications).")
HEADLINE = N_(
    "In %(year)s, owners in %(origin)s transferred or licensed patents to Belt and Road countries in "
    "%(count)s recorded transactions (%(patents)s patents).")
HEADLINE_CHANGE = N_(
    "In %(year)s, owners in %(origin)s transferred or licensed patents to Belt and Road countries in "
    "%(count)s recorded transactions (%(patents)s patents), %(change)s on %(prior)s.")
ORIGIN_NOTE = N_(
    "Counted: assignments and licences between parties in different countries; the assignor's country is "
    "printed on few records and is otherwise found on the patents' publications, so transfers whose "
    "assignor's country is unknown are not counted.")
LABEL_TOTAL = N_("Transfers and licences to Belt and Road countries (transactions)")
LABEL_PATENTS = N_("Patents transferred or licensed to Belt and Road countries")
LABEL_CHANGE = N_("Change in transfers and licences to Belt and Road countries on the year before")
LABEL_DESTINATION = N_("Transfers and licences to a Belt and Road country (transactions)")
LABEL_DESTINATION_PATENTS = N_("Patents transferred or licensed to a Belt and Road country")
TABLE_CAPTION = N_("Transfers and licences to Belt and Road countries by destination country")
COLUMN_DESTINATION = N_("Destination")
COLUMN_TRANSACTIONS = N_("Transactions")
COLUMN_PATENTS = N_("Patents")


def _held(tables: Any) -> dict[str, Any]:
    t = tables.transfers
    expr = t.aggregate(records=t.transfer_id.count(), first=t.record_date.min(), last=t.record_date.max())
    return expr.to_pyarrow().to_pylist()[0]


def _cells(result: Any) -> list[dict[str, Any]]:
    return [row for row in result.rows if row.get("transactions")]


def _figure(key: str, value: float | int | None, unit: str, label: str, result: Any, query: TransferQuery,
            by: tuple[str, ...], column: str, cell: dict[str, str]) -> Figure:
    """A cell of ``result``: its definition says which column of which row (``cell``) it is."""
    return Figure(key, "transfers", value, unit, label, {**result.definition, "column": column, "row": cell},
                  query.command(by), query.records(cell), query.dashboard(by))


def build(ctx: BulletinContext, options: dict[str, Any], built: dict[str, Section]) -> Section:
    from patentreach.transfers import run as library
    from patentreach.transfers.tables import TransferTables
    from patentreach.warehouse.engines import MissingTable

    year, origin = ctx.request.year, ctx.request.origin.upper()
    try:
        tables = TransferTables.from_engine(ctx.engine)
        held = _held(tables)
    except MissingTable:
        raise SectionUnavailable(Text(NO_TRANSFERS)) from None
    if not held["records"] or held["first"] is None:
        raise SectionUnavailable(Text(NO_TRANSFERS))
    first, last = held["first"].year, held["last"].year
    if not first <= year <= last:
        raise SectionUnavailable(Text(NO_YEAR, {"year": str(year), "first": str(first), "last": str(last)}))

    basis = str(options.get("date_basis", "record"))
    query = TransferQuery(ctx.request.warehouse, origin, year, year, basis)
    both = TransferQuery(ctx.request.warehouse, origin, year - 1, year, basis)
    # Two queries (each takes seconds): the totals of the year and the year before, by year
    # (a transfer has one date, so a year's cell is that year's total); the year by destination.
    by_year = library.flows(tables, both.spec(("year",)))
    by_destination = library.flows(tables, query.spec(("destination",)))
    totals = {int(r["year"]): r for r in by_year.rows if r.get("year") is not None}
    row, before = totals.get(year, {}), totals.get(year - 1, {})
    count, patents = int(row.get("transactions") or 0), int(row.get("patents") or 0)

    section = Section("transfers", TITLE)
    y = str(year)
    year_cell = {"year": y}
    section.figures += [
        _figure(f"transfers.total.{y}", count, "count", LABEL_TOTAL, by_year, both, ("year",), "transactions",
                year_cell),
        _figure(f"transfers.patents.{y}", patents, "patents", LABEL_PATENTS, by_year, both, ("year",), "patents",
                year_cell),
    ]
    params: dict[str, Any] = {"year": y, "origin": Name("country", origin), "count": Ref(f"transfers.total.{y}"),
                              "patents": Ref(f"transfers.patents.{y}")}
    prior = int(before.get("transactions") or 0)
    if first <= year - 1 and prior:
        section.figures.append(Figure(
            f"transfers.yoy.{y}", "transfers", (count / prior - 1) * 100, "percent_change", LABEL_CHANGE,
            {**by_year.definition, "column": "transactions", "change": f"{year} on {year - 1}"},
            both.command(("year",)), both.records(), both.dashboard(("year",))))
        params |= {"change": Ref(f"transfers.yoy.{y}"), "prior": str(year - 1)}
    section.sentences.append(Text(HEADLINE_CHANGE if "change" in params else HEADLINE, params))

    rows = sorted(_cells(by_destination), key=lambda r: (-r["transactions"], -r["patents"], str(r["destination"])))
    table_rows = []
    for cell in rows:
        code = str(cell["destination"])
        where = {"destination": code}
        section.figures += [
            _figure(f"transfers.{code}.{y}", int(cell["transactions"]), "count", LABEL_DESTINATION, by_destination,
                    query, ("destination",), "transactions", where),
            _figure(f"transfers.patents.{code}.{y}", int(cell["patents"]), "patents", LABEL_DESTINATION_PATENTS,
                    by_destination, query, ("destination",), "patents", where),
        ]
        table_rows.append({"destination": code, "transactions": Ref(f"transfers.{code}.{y}", compact=False),
                           "patents": Ref(f"transfers.patents.{code}.{y}", compact=False)})
    if not count:
        section.notes.append(Text(NOTHING_FOUND, {"year": y, "origin": Name("country", origin)}))
    section.notes.append(Text(ORIGIN_NOTE))
    if table_rows:
        section.tables.append(Table("transfers.destinations", TABLE_CAPTION, [
            Column("destination", COLUMN_DESTINATION, "name:country"),
            Column("transactions", COLUMN_TRANSACTIONS, "figure"),
            Column("patents", COLUMN_PATENTS, "figure"),
        ], table_rows))
        section.charts.append(destination_chart(
            "transfers.destinations", TABLE_CAPTION, [(r["destination"], int(r["transactions"])) for r in rows]))
    return section
