"""``patentreach fetch google``: extract a slice of Google Patents Public Data from BigQuery.

Parses and checks the options the way ``stats outbound`` does (same office names and groups),
then delegates: the SQL to :mod:`patentreach.fetch.google_sql`, the run to
:mod:`patentreach.fetch.google_bigquery`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from patentreach.cli.consoles import Console
from patentreach.cli.output import fail

if TYPE_CHECKING:
    from patentreach.fetch.google_sql import GoogleSlice

DEFAULT_MAX_BYTES = "200G"


def google(
    origin: Annotated[str, typer.Option(
        "--origin", metavar="CC[,CC]",
        help="Origin countries: documents with at least one assignee or inventor of one of them.")],
    years: Annotated[str, typer.Option(
        "--years", metavar="YYYY[-YYYY]", help="Years of the date basis, e.g. 2020-2021.")],
    offices: Annotated[str, typer.Option(
        "--offices", metavar="LIST",
        help="Office codes and groups, as in `stats outbound` (major, ip5, bri, US,EP ...).")] = "major",
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="DIR", help="Folder for the exported files (required unless --sql-only).")] = None,
    sql_only: Annotated[bool, typer.Option(
        "--sql-only", help="Print the SQL (with its parameter values) for the BigQuery console; run nothing.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Export format: parquet or jsonl.")] = "parquet",
    project: Annotated[str | None, typer.Option(
        "--project", metavar="ID",
        help="Google Cloud project billed for the query (default: the credentials').")] = None,
    date_basis: Annotated[str, typer.Option(
        "--date-basis", help="Year of the grant date (grant) or of the publication date (publication).")] = "grant",
    max_bytes_billed: Annotated[str, typer.Option(
        "--max-bytes-billed", metavar="SIZE",
        help="Refuse a query that would process more than this (e.g. 200G, 1T); BigQuery caps it too.",
    )] = DEFAULT_MAX_BYTES,
) -> None:
    """Extract grants of an origin's applicants or inventors at the chosen offices from
    patents-public-data.patents.publications, as files `patentreach ingest` reads."""
    from patentreach.fetch.google_bigquery import parse_bytes
    from patentreach.fetch.google_export_files import FORMATS
    from patentreach.fetch.google_slice import SliceError, make_slice
    from patentreach.fetch.google_sql import console_script
    from patentreach.indicators.choices import SpecError, check_country, check_office
    from patentreach.indicators.spec import parse_list, parse_offices, parse_years

    try:
        span = parse_years(years)
        origins = parse_list(origin, upper=True)
        office_names = parse_offices(offices)
        for code in origins:
            check_country("origin", code)
        for name in office_names:
            check_office(name)
        slice_ = make_slice(origins, span or (0, 0), office_names, date_basis)
    except (SpecError, SliceError) as exc:
        fail(str(exc))
    if fmt not in FORMATS:
        fail(f"--format {fmt!r} is not an export format; choose from {', '.join(FORMATS)}")
    try:
        cap = parse_bytes(max_bytes_billed)
    except ValueError as exc:
        fail(f"--max-bytes-billed {exc}")
    if sql_only:
        typer.echo(console_script(slice_))
        return
    if out is None:
        fail("--out DIR is required to run the extraction (or give --sql-only to print the SQL)")
    _run(slice_, out, fmt, project, cap)


def _run(slice_: GoogleSlice, out: Path, fmt: str, project: str | None, cap: int) -> None:
    from patentreach.cli.progress_bars import step_bar
    from patentreach.fetch.google_bigquery import (
        BigQueryUnavailable,
        CostLimitExceeded,
        export_slice,
        format_bytes,
    )
    from patentreach.fetch.google_export_files import ExportFolderError
    from patentreach.fetch.google_sql import console_script, domestic_note

    err = Console(stderr=True, highlight=False, soft_wrap=True)

    def estimate(count: int) -> None:
        note = domestic_note(slice_)
        if note:
            err.print(f"note: {note}")
        err.print(f"dry run: the query will process {format_bytes(count)} (limit {format_bytes(cap)})")

    try:
        with step_bar("exporting rows") as bar:
            result = export_slice(slice_, out, fmt, project, cap, on_estimate=estimate,
                                  on_rows=lambda done, total: bar(done, total, f"{done} of {total} rows"))
    except ExportFolderError as exc:
        fail(str(exc))
    except BigQueryUnavailable as exc:
        typer.echo(console_script(slice_))
        fail(f"cannot run the query: {exc}. The SQL is printed above: run it in the BigQuery console instead")
    except CostLimitExceeded as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    if not result.files:
        err.print("[yellow]warning:[/yellow] no publication matched the slice: no file written "
                  "(check --years, --offices and --origin against the SQL of --sql-only)")
        return
    for path in result.files:
        typer.echo(str(path))
    err.print(f"{result.rows} rows in {len(result.files)} {fmt} files in {out} "
              f"(query processed {format_bytes(result.bytes_processed)}); next: patentreach ingest {out}")
