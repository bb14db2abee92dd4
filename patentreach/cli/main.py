"""The ``patentreach`` command. Command groups are registered here, explicitly, in one place."""

from __future__ import annotations

from typing import Annotated

import typer

from patentreach.cli.errors import DEBUG_VARIABLE, GuardedGroup
from patentreach.cli.help_labels import label_tree
from patentreach.cli.help_panels import panel_tree
from patentreach.cli.lazy_commands import Entry, LazyGroup, make_lazy

# Every top-level command, in the order help lists them: the commands, then the command groups.
# Each is imported and built only when used (cli/lazy_commands.py), so the CLI starts at once.
COMMANDS = (
    # --- foundation: warehouse
    Entry("ingest", "patentreach.cli.ingest:ingest"),
    Entry("info", "patentreach.cli.query:info"),
    Entry("query", "patentreach.cli.query:query"),
    Entry("demo", "patentreach.cli.demo:demo"),
    Entry("synth", "patentreach.cli.synth:synth"),
    Entry("harmonize", "patentreach.cli.harmonize:harmonize"),
    Entry("serve", "patentreach.cli.serve:serve"),
    Entry("bulletin", "patentreach.cli.bulletin:bulletin"),
    Entry("status", "patentreach.cli.status:status"),
    # --- command groups (one line each)
    Entry("stats", "patentreach.cli.stats:app"),
    Entry("refdata", "patentreach.cli.refdata:app"),
    Entry("survey", "patentreach.cli.survey:app"),
    Entry("entities", "patentreach.cli.harmonize:app"),
    Entry("protect", "patentreach.cli.protect:app"),
    Entry("fetch", "patentreach.cli.fetch:app"),
    Entry("users", "patentreach.cli.users:app"),
)


def finish(command) -> None:
    """What every command gets when it is built: plain labels, help in panels."""
    label_tree(command)
    panel_tree(command)


class RootGroup(GuardedGroup, LazyGroup):
    """``patentreach``: every command runs inside the error floor, and help shows no type labels.

    Its commands are the lazy :data:`COMMANDS` (plus any registered on ``app`` directly); each
    gets its labels and panelled help (``finish``) when it is built. Typer runs in plain mode
    (``rich_markup_mode=None``): help and usage errors are printed without importing Rich
    (``help_panels.py``), so the CLI starts at once.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        finish(self)
        self.lazy_commands = make_lazy(self, COMMANDS, finish)

    def format_help(self, ctx, formatter) -> None:
        """The root's help lists its commands from stubs: nothing is built to show one line each."""
        with self.lazy_commands.listing():
            super().format_help(ctx, formatter)


app = typer.Typer(
    name="patentreach",
    help="Overseas patent intelligence from real patent-office data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
    cls=RootGroup,
)


def _print_version(requested: bool) -> None:
    if requested:
        from importlib.metadata import PackageNotFoundError, version

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

def main() -> None:
    app()


if __name__ == "__main__":
    main()
