"""``patentreach bulletin``: the press release and statistical report, HTML and PDF per language,
with ``figures.csv``/``figures.json`` tracing every printed figure.

Usage errors are one line and exit 2: a bad configuration (naming its line), a bad template
(naming its file and line), a missing warehouse or survey store, an unknown language, a bad
``--generated-at``. A section whose inputs are missing is left out of the bulletin with a note,
and the command lists which and why.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from patentreach.cli.consoles import lazy_console
from patentreach.cli.errors import EXIT_USAGE, print_error, print_note, usage_error
from patentreach.cli.options import WarehouseOption

console = lazy_console(highlight=False, soft_wrap=True)
LANGUAGES = ("zh", "en")
DEFAULT_OUT = Path("bulletin")


def _languages(text: str) -> tuple[str, ...]:
    langs = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    for lang in langs:
        if lang not in LANGUAGES:
            usage_error(f"--lang {lang!r} is not a bulletin language", LANGUAGES, lang)
    if not langs:
        usage_error("--lang names no language", LANGUAGES)
    return langs


def _pinned(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        usage_error(f"--generated-at {text!r} is not an ISO 8601 time (e.g. 2022-06-01T00:00:00Z)")
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _fail(message: str) -> None:
    print_error(message)
    raise typer.Exit(EXIT_USAGE)


def bulletin(
    warehouse: WarehouseOption = None,
    origin: Annotated[str, typer.Option(help="Applicants' country of origin (ISO code).")] = "CN",
    year: Annotated[int, typer.Option(help="The bulletin's year.")] = 2021,
    offices: Annotated[str, typer.Option(help="Offices or office groups, as `stats outbound --offices` "
                                              "takes them (major, ip5, US,EP,JP).")] = "major",
    survey: Annotated[str | None, typer.Option(metavar="STORE", help="The survey store (SQLite file or "
                                               "SQLAlchemy URL); without it the survey sections are left out.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Languages, comma-separated: zh, en.")] = "zh,en",
    config: Annotated[Path | None, typer.Option(metavar="YAML", help="Section configuration (YAML).")] = None,
    templates: Annotated[Path | None, typer.Option(metavar="DIR", help="Your templates, searched "
                                                   "first (bulletin.html, section.html, bulletin.css).")] = None,
    base_url: Annotated[str | None, typer.Option(metavar="URL", help="The dashboard's address: figures get "
                                                 "a dashboard link.")] = None,
    generated_at: Annotated[str | None, typer.Option(metavar="ISO", help="Pin the generation time "
                                                     "(2022-06-01T00:00:00Z) for byte-identical output.")] = None,
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="Write the HTML only.")] = False,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="The folder to write into.")] = DEFAULT_OUT,
) -> None:
    """Write the bulletin: HTML and PDF per language, figures.csv and figures.json."""
    from patentreach.cli.progress_bars import step_bar
    from patentreach.report.bulletin.build import build_bulletin
    from patentreach.report.bulletin.cells import Writer
    from patentreach.report.bulletin.config import ConfigError, load_config
    from patentreach.report.bulletin.render import TemplateError
    from patentreach.report.bulletin.request import BulletinRequest
    from patentreach.report.bulletin.write import write_bulletin
    from patentreach.warehouse import Warehouse

    langs = _languages(lang)
    pinned = _pinned(generated_at)
    target = Warehouse.locate(warehouse)
    if not target.exists():
        _fail(f"{target.root}: no warehouse here (run `patentreach ingest` or `patentreach synth` first, "
              "or give --warehouse DIR)")
    if survey and "://" not in survey and not Path(survey).is_file():
        _fail(f"{survey}: no survey store here (give the SQLite file the survey was imported into, or a "
              "database URL; leave --survey out to print the bulletin without the survey sections)")
    if templates is not None and not templates.is_dir():
        _fail(f"{templates}: the templates folder does not exist")
    try:
        configuration = load_config(config)
    except ConfigError as exc:
        _fail(str(exc))
    request = BulletinRequest(warehouse=target.root, origin=origin.upper(), year=year, offices=offices,
                              survey=survey, langs=langs, config=config, templates=templates, out=out,
                              base_url=base_url, generated_at=pinned)
    with step_bar("bulletin") as step:
        built = build_bulletin(request, configuration, progress=step)
        total = len(built.sections)
        try:
            written = write_bulletin(built, out, langs, pdf=not no_pdf, templates=templates, base_url=base_url,
                                     step=lambda message: step(total, total, message))
        except TemplateError as exc:
            _fail(str(exc))
    english = Writer(built.figures, "en")
    for section in built.sections:
        if section.omitted is not None:
            print_note(f"left out: {section.name}: {english.text(section.omitted)}")
    if written.pdf_note:
        print_note(written.pdf_note)
    console.print(f"bulletin of {len(built.figures)} figures in {len(built.sections)} sections written:")
    for path in written.paths:
        console.print(f"  {path}")
