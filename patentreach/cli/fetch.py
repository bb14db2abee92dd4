"""``patentreach fetch``: download bulk feeds and extract dataset slices into a download folder.

Thin: each sub-command parses its options and delegates to :mod:`patentreach.fetch`. The bulk
feeds (USPTO, PatentsView, EP publications, OPS) live in ``fetch_feeds``, the Google Patents
Public Data extraction in ``fetch_google``; both register on this group.
"""

from __future__ import annotations

import typer

from patentreach.cli import fetch_feeds, fetch_google

app = typer.Typer(
    help="Download the offices' free bulk feeds, or extract a slice of Google Patents Public Data.",
    no_args_is_help=True,
)

app.command("uspto-grants")(fetch_feeds.uspto_grants)
app.command("uspto-applications")(fetch_feeds.uspto_applications)
app.command("uspto-assignments")(fetch_feeds.uspto_assignments)
app.command("patentsview")(fetch_feeds.patentsview)
app.command("ep-publications")(fetch_feeds.ep_publications)
app.command("ops")(fetch_feeds.ops)
app.command("google")(fetch_google.google)
