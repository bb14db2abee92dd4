"""The transfers section's questions, each as a ``TransferSpec`` and as the command that asks it.

A figure of the transfers section is one cell of ``patentreach stats transfers flows``; the spec
the section computes and the command printed beside the figure are made here from the same
arguments, so they cannot drift apart: a test runs the command and compares the number.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

from patentreach.transfers.spec import TransferSpec

GROUP = "bri"
"""The destination group the section counts: the Belt and Road partner countries (as of the
transfer's date, ``refdata/country_groups.csv``)."""


@dataclass(frozen=True, slots=True)
class TransferQuery:
    """Transfers from owners in ``origin`` to the group, recorded from ``first`` to ``last`` (years)."""

    warehouse: Path
    origin: str
    first: int
    last: int
    date_basis: str = "record"

    def spec(self, by: tuple[str, ...]) -> TransferSpec:
        return TransferSpec(date_basis=self.date_basis, date_from=date(self.first, 1, 1),
                            date_to=date(self.last, 12, 31), origin=(self.origin,), destination_group=GROUP, by=by)

    def _options(self, origin: bool = True) -> list[str]:
        options = ["--warehouse", str(self.warehouse), *(["--origin", self.origin] if origin else []),
                   "--destination-group", GROUP, "--from", str(self.first), "--to", str(self.last)]
        return options + (["--date-basis", self.date_basis] if self.date_basis != "record" else [])

    def command(self, by: tuple[str, ...]) -> str:
        """``patentreach stats transfers flows ... --format json``: prints the figure's row."""
        return shlex.join(["patentreach", "stats", "transfers", "flows", *self._options(), "--by", ",".join(by),
                           "--format", "json"])

    def records(self, cell: dict[str, str] | None = None) -> str:
        """``patentreach stats transfers records ...``: the transfers behind the figure."""
        cells = {"origin": self.origin, "destination_group": GROUP, **(cell or {})}
        options = self._options(origin=False)  # `records` takes the origin as a cell
        coordinates = [part for key, value in cells.items() for part in ("--cell", f"{key}={value}")]
        return shlex.join(["patentreach", "stats", "transfers", "records", *options, *coordinates])

    def dashboard(self, by: tuple[str, ...]) -> str:
        """The dashboard's transfers page with the same options (``web/pages/transfers.py``)."""
        query = {"origin": self.origin, "destination_group": GROUP, "from": str(self.first), "to": str(self.last),
                 "by": ",".join(by)}
        if self.date_basis != "record":
            query["date_basis"] = self.date_basis
        return "/transfers?" + urlencode(query)
