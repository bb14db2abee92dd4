"""``patentreach fetch uspto-grants|uspto-applications|uspto-assignments|patentsview|ep-publications|ops``:
parse the options, delegate to :mod:`patentreach.fetch`, print what happened.

Exit status: 0 every file is in the download folder, 1 some file failed (each has its one line and
the others were fetched), 2 nothing could start (bad option, missing credentials, bad manifest).
``--ingest`` hands the complete files to the same function ``patentreach ingest`` runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from patentreach.cli.consoles import Table, escape, lazy_console
from patentreach.cli.options import WarehouseOption

if TYPE_CHECKING:
    from patentreach.fetch.remote import FetchReport

console = lazy_console()
errors = lazy_console(stderr=True)

DEFAULT_FOLDER = Path("downloads")

WeeksOption = Annotated[
    str | None,
    typer.Option("--weeks", metavar="FROM..TO", help="ISO weeks, e.g. 2021-01..2021-52 (or one week 2021-07).",
                 show_default=False),
]
DatesOption = Annotated[
    str | None,
    typer.Option("--dates", metavar="FROM..TO", help="Dates, e.g. 2021-01-01..2021-03-31 (both included).",
                 show_default=False),
]
FolderOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", metavar="DIR", help="Download folder (default ./downloads); one subfolder per feed.",
                 show_default=False),
]
OldFolderOption = Annotated[Path | None, typer.Option("--to", hidden=True, help="Same as --out (download folder).")]
SinceLastOption = Annotated[
    bool,
    typer.Option("--since-last", help="Only files newer than the newest one of this feed in the folder's manifest."),
]
IngestOption = Annotated[
    bool, typer.Option("--ingest", help="Then ingest the downloaded files into the warehouse (as patentreach ingest).")
]
BaseUrlOption = Annotated[
    str | None, typer.Option("--base-url", hidden=True, help="Replace the feed's host (tests, mirrors).")
]


def uspto_grants(weeks: WeeksOption = None, dates: DatesOption = None, out: FolderOption = None,
                 to: OldFolderOption = None, since_last: SinceLastOption = False, ingest: IngestOption = False,
                 warehouse: WarehouseOption = None, base_url: BaseUrlOption = None) -> None:
    """Weekly USPTO grant full text (ipgYYMMDD.zip) from the Open Data Portal (needs USPTO_API_KEY)."""
    _feed("uspto-grants", weeks, dates, out or to, since_last, ingest, warehouse, base_url)


def uspto_applications(weeks: WeeksOption = None, dates: DatesOption = None, out: FolderOption = None,
                       to: OldFolderOption = None, since_last: SinceLastOption = False,
                       ingest: IngestOption = False, warehouse: WarehouseOption = None,
                       base_url: BaseUrlOption = None) -> None:
    """Weekly USPTO application full text (ipaYYMMDD.zip) from the Open Data Portal (needs USPTO_API_KEY)."""
    _feed("uspto-applications", weeks, dates, out or to, since_last, ingest, warehouse, base_url)


def uspto_assignments(weeks: WeeksOption = None, dates: DatesOption = None, out: FolderOption = None,
                      to: OldFolderOption = None, since_last: SinceLastOption = False, ingest: IngestOption = False,
                      warehouse: WarehouseOption = None, base_url: BaseUrlOption = None) -> None:
    """Daily USPTO patent assignment XML (adYYYYMMDD.zip) from the Open Data Portal (needs USPTO_API_KEY)."""
    _feed("uspto-assignments", weeks, dates, out or to, since_last, ingest, warehouse, base_url)


def ep_publications(weeks: WeeksOption = None, dates: DatesOption = None, out: FolderOption = None,
                    to: OldFolderOption = None, since_last: SinceLastOption = False, ingest: IngestOption = False,
                    warehouse: WarehouseOption = None, base_url: BaseUrlOption = None) -> None:
    """Weekly EP full-text deliveries from the EPO Bulk Data Distribution Service (SHA-1 checked)."""
    _feed("ep-publications", weeks, dates, out or to, since_last, ingest, warehouse, base_url)


def patentsview(
    tables: Annotated[
        list[str], typer.Argument(metavar="TABLE...", help="Tables, e.g. g_patent g_assignee_disambiguated.")
    ],
    out: FolderOption = None, to: OldFolderOption = None, ingest: IngestOption = False,
    warehouse: WarehouseOption = None, base_url: BaseUrlOption = None,
) -> None:
    """PatentsView bulk tables (TABLE.tsv.zip), whole snapshots."""
    from patentreach.fetch.run import FetchRequest

    request = FetchRequest("patentsview", _folder(out or to), tables=tables, base_url=base_url,
                           max_file_bytes=_max_file_bytes())
    _finish(_run(request), ingest, warehouse)


def ops(
    query: Annotated[str, typer.Argument(metavar="QUERY", help='CQL, e.g. \'pa="huawei" and pd=2021\'.')],
    out: FolderOption = None, to: OldFolderOption = None,
    max_results: Annotated[int, typer.Option("--max-results", metavar="N", min=1, max=2000,
                                             help="Most results to fetch (OPS serves at most 2000).")] = 2000,
    biblio: Annotated[bool, typer.Option("--biblio", help="Ask for the bibliographic data of each hit.")] = False,
    ingest: IngestOption = False, warehouse: WarehouseOption = None, base_url: BaseUrlOption = None,
) -> None:
    """EPO OPS search result pages as XML (needs OPS_KEY and OPS_SECRET)."""
    from patentreach.cli.errors import usage_error
    from patentreach.fetch.manifest import ManifestError
    from patentreach.fetch.ops import OpsCredentialsMissing, OpsRequest, fetch_search

    request = OpsRequest(query, _folder(out or to), max_results=max_results,
                         constituents=("biblio",) if biblio else (), base_url=base_url)
    try:
        report = fetch_search(request)
    except (OpsCredentialsMissing, ManifestError) as exc:
        usage_error(str(exc))
    _finish(report, ingest, warehouse)


def _max_file_bytes() -> int:
    """The largest input ingest would read (``max_decompressed_gb``): no use downloading more."""
    from patentreach.sources import limits

    return limits.current().max_decompressed_bytes


def _folder(folder: Path | None) -> Path:
    return (folder or DEFAULT_FOLDER).expanduser().resolve()


def _feed(name: str, weeks: str | None, dates: str | None, folder: Path | None, since_last: bool, ingest: bool,
          warehouse: Path | None, base_url: str | None) -> None:
    from patentreach.cli.errors import usage_error
    from patentreach.fetch import periods
    from patentreach.fetch.run import FetchRequest

    try:
        period = periods.choose(weeks, dates) if (weeks or dates or not since_last) else None
    except periods.PeriodError as exc:
        usage_error(str(exc))
    request = FetchRequest(name, _folder(folder), period=period, since_last=since_last, base_url=base_url,
                           max_file_bytes=_max_file_bytes())
    _finish(_run(request), ingest, warehouse)


def _run(request) -> FetchReport:
    """The fetch with a byte progress bar on stderr (transient); bad setup is a usage error."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    from patentreach.cli.errors import usage_error
    from patentreach.fetch.listings import TableNameError
    from patentreach.fetch.manifest import ManifestError
    from patentreach.fetch.periods import PeriodError
    from patentreach.fetch.run import FetchProgress, fetch

    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn())

    class RichProgress(FetchProgress):
        def __init__(self, bar: Progress):
            self.bar = bar
            self.task = bar.add_task("fetch", total=None)

        def file(self, name: str, size: int | None) -> None:
            self.bar.reset(self.task, total=size, description=name[-40:])

        def advance(self, n_bytes: int) -> None:
            self.bar.advance(self.task, n_bytes)

    try:
        with Progress(*columns, console=errors, transient=True) as bar:
            return fetch(request, progress=RichProgress(bar))
    except (PeriodError, ManifestError, TableNameError) as exc:
        usage_error(str(exc))


def _finish(report: FetchReport, ingest: bool, warehouse: Path | None) -> None:
    """Print the files table, notes and failures; ingest the complete files; exit 1 on a failure."""
    if report.outcomes:
        console.print(_table(report))
    for note in report.notes:
        errors.print(f"note: {escape(note)}", highlight=False, soft_wrap=True)
    for failure in report.failed:
        errors.print(f"[red]error:[/red] {escape(failure.error)}", highlight=False, soft_wrap=True)
    if ingest:
        _ingest(report, warehouse)
    elif warehouse is not None:
        errors.print("note: --warehouse is used only with --ingest; nothing was ingested")
    if not report.complete:
        raise typer.Exit(1)


def _ingest(report: FetchReport, warehouse: Path | None) -> None:
    from patentreach.cli.ingest import ingest
    from patentreach.fetch.run import complete_files

    paths = complete_files(report)
    if not paths:
        errors.print("note: --ingest: no complete file to ingest")
        return
    ingest(paths=paths, warehouse=warehouse)


def _table(report: FetchReport) -> Table:
    table = Table(title="fetch")
    for name in ("file", "status", "bytes", "published"):
        table.add_column(name, justify="right" if name == "bytes" else "left")
    for outcome in report.outcomes:
        size = f"{outcome.size:,}" if outcome.status != "failed" else ""
        table.add_row(escape(outcome.remote.name), outcome.status, size, outcome.remote.published or "")
    counts = ", ".join(f"{report.count(s)} {s}" for s in ("fetched", "skipped", "failed") if report.count(s))
    table.add_row(f"{len(report.outcomes)} files", counts, "", "", style="bold")
    return table
