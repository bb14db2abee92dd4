"""What one running service serves, and within which limits."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from patentreach.warehouse.layout import Warehouse

STATE_VARIABLE = "PATENTREACH_WEB_STATE"
SECRET_FILE = "secret_key"
SETTING_VARIABLES = {
    "max_upload_bytes": "PATENTREACH_WEB_MAX_UPLOAD_BYTES",
    "rate_limit_per_minute": "PATENTREACH_WEB_RATE_LIMIT",
    "https_only_cookies": "PATENTREACH_WEB_HTTPS_ONLY",
    "survey_store": "PATENTREACH_WEB_SURVEY_STORE",
}
"""Settings a deployment gives through the environment (a systemd unit's ``Environment=``), so
that every worker of ``patentreach serve`` / ``uvicorn patentreach.web.asgi:app`` gets them."""


def environment_settings() -> dict[str, object]:
    """The settings of ``SETTING_VARIABLES`` that are set; a bad value is one line naming it."""
    found: dict[str, object] = {}
    for setting, variable in SETTING_VARIABLES.items():
        raw = os.environ.get(variable, "").strip()
        if not raw:
            continue
        if setting == "survey_store":
            found[setting] = raw
            continue
        if setting == "https_only_cookies":
            if raw.lower() not in ("1", "0", "true", "false", "yes", "no"):
                raise ValueError(f"${variable}={raw!r}: expected 1 or 0")
            found[setting] = raw.lower() in ("1", "true", "yes")
            continue
        if not raw.isdigit():
            raise ValueError(f"${variable}={raw!r}: expected a whole number")
        found[setting] = int(raw)
    return found


def default_state_dir(warehouse: Warehouse) -> Path:
    """The service's own files (users, the session secret; the survey store later): never inside
    the warehouse, which the service only reads. ``$PATENTREACH_WEB_STATE``, else
    ``<warehouse>-web`` beside it."""
    env = os.environ.get(STATE_VARIABLE)
    if env:
        return Path(env).expanduser().resolve()
    return warehouse.root.with_name(warehouse.root.name + "-web")


@dataclass(frozen=True)
class ServeConfig:
    """One service's settings. ``state_dir`` holds ``users.sqlite`` and ``secret_key``."""

    warehouse: Warehouse
    state_dir: Path
    max_upload_bytes: int = 5 * 1024 * 1024
    rate_limit_per_minute: int = 600  # per client address, all routes; 0 turns it off
    cache_entries: int = 256
    https_only_cookies: bool = False  # True behind a TLS-terminating proxy (see docs/deployment.md)
    survey_store: str | None = None  # SQLAlchemy URL or SQLite path; None: <state_dir>/survey.sqlite
    extra: dict = field(default_factory=dict)

    @classmethod
    def for_warehouse(cls, warehouse: Warehouse, state_dir: Path | None = None, **options: object) -> ServeConfig:
        """The settings for ``warehouse``: ``options``, else the environment's
        (``environment_settings``), else the defaults."""
        options = {**environment_settings(), **options}
        return cls(warehouse=warehouse, state_dir=state_dir or default_state_dir(warehouse), **options)  # type: ignore[arg-type]

    def survey_store_url(self) -> str:
        """Where the survey's invitations, drafts and responses live (``survey invite --store``
        must name the same store): ``survey_store``, else ``survey.sqlite`` in the state folder."""
        return self.survey_store or str(self.state_dir / "survey.sqlite")

    def secret_key(self) -> str:
        """The key signing session cookies: made once, kept in the state folder (0600), so that
        sessions survive a restart and are shared by every worker."""
        path = self.state_dir / SECRET_FILE
        if not path.exists():
            self.state_dir.mkdir(parents=True, exist_ok=True)
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another worker made it first
                pass
            else:
                with os.fdopen(descriptor, "w") as handle:
                    handle.write(secrets.token_urlsafe(48))
        return path.read_text().strip()
