"""API tokens: ``Authorization: Bearer <token>`` for scripts calling the API without a browser
session (and so without the CSRF header a session needs).

A token is 256 random bits, shown once when issued; the store keeps only its SHA-256 (a slow
password hash adds nothing for a random secret that long, and every API call checks one). A
token acts as its user with the user's current role; removing the user or ``revoke_tokens``
ends it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from pathlib import Path

from patentreach.web.security.users import User, UserError, connect, find_user

TOKEN_PREFIX = "prt_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(state_dir: Path, name: str, label: str = "") -> str:
    """A new token for user ``name`` (returned once: only its digest is kept)."""
    user = find_user(state_dir, name)
    if user is None:
        raise UserError(f"no user {name!r}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with connect(state_dir) as db:
        db.execute("INSERT INTO api_tokens (token_hash, name, label, created) VALUES (?, ?, ?, ?)",
                   (_digest(token), user.name, label, datetime.now(UTC).isoformat(timespec="seconds")))
    return token


def revoke_tokens(state_dir: Path, name: str) -> int:
    """End every token of ``name``; how many there were."""
    with connect(state_dir) as db:
        return db.execute("DELETE FROM api_tokens WHERE name = ?", (name,)).rowcount


def user_for_token(state_dir: Path, token: str) -> User | None:
    """The user ``token`` was issued to, or None (unknown, revoked, or the user is gone)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    with connect(state_dir) as db:
        row = db.execute("SELECT u.name, u.role, u.epoch, u.created FROM api_tokens AS t "
                         "JOIN users AS u ON u.name = t.name WHERE t.token_hash = ?", (_digest(token),)).fetchone()
    return None if row is None else User(name=row[0], role=row[1], epoch=row[2], created=row[3])
