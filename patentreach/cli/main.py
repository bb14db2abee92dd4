"""The ``patentreach`` command. Command groups are registered here, explicitly, in one place."""

from __future__ import annotations

import typer

from patentreach.cli import demo, ingest, query

app = typer.Typer(
    name="patentreach",
    help="Overseas patent intelligence from real patent-office data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# --- foundation: warehouse ---------------------------------------------------------------
app.command("ingest")(ingest.ingest)
app.command("info")(query.info)
app.command("query")(query.query)
app.command("demo")(demo.demo)

# --- command groups (one line each) ------------------------------------------------------
# (refdata, survey, ... are added below as they land)
from patentreach.cli import stats, synth  # noqa: E402

app.add_typer(stats.app, name="stats")
app.command("synth")(synth.synth)
from patentreach.cli import refdata  # noqa: E402

app.add_typer(refdata.app, name="refdata")
from patentreach.cli import survey  # noqa: E402

app.add_typer(survey.app, name="survey")
from patentreach.cli import harmonize  # noqa: E402

app.command("harmonize")(harmonize.harmonize)
app.add_typer(harmonize.app, name="entities")
from patentreach.cli import protect  # noqa: E402

app.add_typer(protect.app, name="protect")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
