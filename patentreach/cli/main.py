"""The ``patentreach`` command. Command groups are registered here, explicitly, in one place."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Annotated

import typer

from patentreach.cli import demo, ingest, query
from patentreach.cli.errors import DEBUG_VARIABLE, GuardedGroup
from patentreach.cli.help_labels import label_tree


class RootGroup(GuardedGroup):
    """``patentreach``: every command runs inside the error floor, and help shows no type labels."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        label_tree(self)


app = typer.Typer(
    name="patentreach",
    help="Overseas patent intelligence from real patent-office data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=RootGroup,
)


def _print_version(requested: bool) -> None:
    if requested:
        try:
            typer.echo(f"patentreach {version('patentreach')}")
        except PackageNotFoundError:
            typer.echo("patentreach (version unknown: the package is not installed)")
        raise typer.Exit()


@app.callback()
def root(
    debug: Annotated[
        bool,
        typer.Option("--debug", envvar=DEBUG_VARIABLE, help="Show the Python traceback of an unexpected error."),
    ] = False,
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Overseas patent intelligence from real patent-office data."""

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
from patentreach.cli import fetch  # noqa: E402

app.add_typer(fetch.app, name="fetch")
from patentreach.cli import serve  # noqa: E402

app.command("serve")(serve.serve)
from patentreach.cli import users  # noqa: E402

app.add_typer(users.app, name="users")
from patentreach.cli import bulletin  # noqa: E402

app.command("bulletin")(bulletin.bulletin)
from patentreach.cli import status  # noqa: E402

app.command("status")(status.status)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
