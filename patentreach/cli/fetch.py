"""``patentreach fetch``: download bulk feeds and extract dataset slices into a download folder.

Thin: each sub-command parses its options and delegates to :mod:`patentreach.fetch`. The bulk
feeds (USPTO, PatentsView, EP publications, OPS) live in ``fetch_feeds``, the Google Patents
Public Data extraction in ``fetch_google``; both register on this group.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Download the offices' free bulk feeds, or extract a slice of Google Patents Public Data.",
    no_args_is_help=True,
)

from patentreach.cli import fetch_google  # noqa: E402

app.command("google")(fetch_google.google)
