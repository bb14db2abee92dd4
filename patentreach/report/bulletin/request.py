"""What the user asked the bulletin for: the arguments of ``patentreach bulletin``."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

LANGUAGES = ("zh", "en")


@dataclass(frozen=True, slots=True)
class BulletinRequest:
    warehouse: Path
    origin: str = "CN"
    year: int = 2021
    offices: str = "major"
    """An office list or group as ``stats outbound --offices`` takes it (``major``, ``US,EP,JP``)."""
    survey: str | None = None
    """The survey store (SQLite file or SQLAlchemy URL); None leaves the survey sections out."""
    langs: tuple[str, ...] = LANGUAGES
    config: Path | None = None
    templates: Path | None = None
    """A folder of the user's templates, searched before the bundled ones."""
    out: Path = Path("bulletin")
    base_url: str | None = None
    """The dashboard's address: figures get a dashboard link when given."""
    generated_at: datetime | None = None
    """Pinned generation time (``--generated-at``); None is now. The only field that may differ
    between two runs on the same warehouse."""
    argv: tuple[str, ...] = field(default_factory=tuple)
    """The command line as given, printed in the provenance footer."""

    def command(self) -> str:
        """The command that reproduces this bulletin."""
        if self.argv:
            return shlex.join(["patentreach", *self.argv])
        parts = ["patentreach", "bulletin", "--warehouse", str(self.warehouse), "--origin", self.origin,
                 "--year", str(self.year), "--offices", self.offices, "--lang", ",".join(self.langs)]
        if self.survey:
            parts += ["--survey", self.survey]
        if self.config:
            parts += ["--config", str(self.config)]
        if self.templates:
            parts += ["--templates", str(self.templates)]
        if self.base_url:
            parts += ["--base-url", self.base_url]
        if self.generated_at:
            parts += ["--generated-at", self.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ")]
        return shlex.join([*parts, "--out", str(self.out)])
