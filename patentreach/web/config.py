"""What one running service serves, and within which limits."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from patentreach.warehouse.layout import Warehouse

STATE_VARIABLE = "PATENTREACH_WEB_STATE"
SECRET_FILE = "secret_key"


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
    extra: dict = field(default_factory=dict)

    @classmethod
    def for_warehouse(cls, warehouse: Warehouse, state_dir: Path | None = None, **options: object) -> ServeConfig:
        return cls(warehouse=warehouse, state_dir=state_dir or default_state_dir(warehouse), **options)  # type: ignore[arg-type]

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
