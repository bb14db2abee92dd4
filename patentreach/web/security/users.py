"""The service's users: ``users.sqlite`` in the state folder (stdlib sqlite3, WAL, made on first
use, readable by the service's owner only).

Every statement is parameterised. Roles are ordered ``viewer`` < ``analyst`` < ``admin``: a
viewer reads (as anybody may without signing in), an analyst may also upload portfolios, an
admin may also manage users (and the survey's administration). ``epoch`` grows when a password
or role changes or the user is removed, so that sessions signed before the change stop working
(sessions are signed cookies: nothing else on the server could end them early).
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from patentreach.web.security.passwords import (
    check_strength,
    hash_password,
    spend_verification_time,
    verify_password,
)

USERS_FILE = "users.sqlite"
ROLES = ("viewer", "analyst", "admin")
"""Every role, weakest first: each may do what the ones before it may."""
NAME_PATTERN = re.compile(r"[\w.@+-]{1,64}")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
    epoch INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    changed TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_tokens (
    token_hash TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE,
    label TEXT NOT NULL,
    created TEXT NOT NULL
);
"""


class UserError(ValueError):
    """A refused change to the store (duplicate or unknown user, bad name, unknown role); the
    message is one line naming the value."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    epoch: int
    created: str

    def session_value(self) -> dict[str, object]:
        """What a signed-in session keeps: the name, the role, and the epoch it was signed in."""
        return {"name": self.name, "role": self.role, "epoch": self.epoch}


def role_rank(role: str) -> int:
    """The role's place in ``ROLES`` (an unknown role ranks below every known one)."""
    return ROLES.index(role) if role in ROLES else -1


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}: choose {', '.join(ROLES)}")
    return role


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name or ""):
        raise UserError(f"bad user name {name!r}: 1-64 letters, digits or . _ @ + -")
    return name


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextmanager
def connect(state_dir: Path) -> Iterator[sqlite3.Connection]:
    """A connection to the store (made, 0600, with its table, on first use); commits on success."""
    path = Path(state_dir) / USERS_FILE
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with suppress(FileExistsError):  # another process made it first
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    connection = sqlite3.connect(path, timeout=10)
    try:
        connection.execute("PRAGMA busy_timeout = 10000")
        if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            connection.execute("PRAGMA journal_mode = WAL")
        connection.executescript(_SCHEMA)
        with connection:
            yield connection
    finally:
        connection.close()


def _user(row: tuple | None) -> User | None:
    return None if row is None else User(name=row[0], role=row[1], epoch=row[2], created=row[3])


def find_user(state_dir: Path, name: str) -> User | None:
    with connect(state_dir) as db:
        return _user(db.execute("SELECT name, role, epoch, created FROM users WHERE name = ?", (name,)).fetchone())


def list_users(state_dir: Path) -> list[User]:
    with connect(state_dir) as db:
        rows = db.execute("SELECT name, role, epoch, created FROM users ORDER BY name COLLATE NOCASE").fetchall()
    return [User(name=r[0], role=r[1], epoch=r[2], created=r[3]) for r in rows]


def add_user(state_dir: Path, name: str, password: str, role: str = "viewer") -> User:
    """A new user; refuses a taken name (in any case), a weak password or an unknown role."""
    check_name(name)
    check_role(role)
    check_strength(name, password)
    now = _now()
    with connect(state_dir) as db:
        try:
            db.execute("INSERT INTO users (name, password_hash, role, epoch, created, changed) "
                       "VALUES (?, ?, ?, 0, ?, ?)", (name, hash_password(password), role, now, now))
        except sqlite3.IntegrityError:
            raise UserError(f"user {name!r} already exists") from None
    return User(name=name, role=role, epoch=0, created=now)


def _change(state_dir: Path, name: str, statement: str, value: str) -> None:
    """Run one of this module's constant UPDATE statements (parameters: value, time, name)."""
    with connect(state_dir) as db:
        changed = db.execute(statement, (value, _now(), name)).rowcount
    if not changed:
        raise UserError(f"no user {name!r}")


def set_role(state_dir: Path, name: str, role: str) -> None:
    """Change the role; the user's sessions end (they sign in again with the new role)."""
    _change(state_dir, name, "UPDATE users SET role = ?, epoch = epoch + 1, changed = ? WHERE name = ?",
            check_role(role))


def set_password(state_dir: Path, name: str, password: str) -> None:
    """Change the password; the user's sessions end."""
    check_strength(name, password)
    _change(state_dir, name, "UPDATE users SET password_hash = ?, epoch = epoch + 1, changed = ? WHERE name = ?",
            hash_password(password))


def remove_user(state_dir: Path, name: str) -> None:
    with connect(state_dir) as db:
        removed = db.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount
        db.execute("DELETE FROM api_tokens WHERE name = ?", (name,))
    if not removed:
        raise UserError(f"no user {name!r}")


def authenticate(state_dir: Path, name: str, password: str) -> User | None:
    """The user whose name and password these are, else None (an unknown name takes as long as a
    wrong password). A hash made with older argon2 parameters is replaced on the way."""
    with connect(state_dir) as db:
        row = db.execute("SELECT name, role, epoch, created, password_hash FROM users WHERE name = ?",
                         (name,)).fetchone()
    if row is None or not name:
        spend_verification_time(password)
        return None
    matches, fresh_hash = verify_password(row[4], password)
    if not matches:
        return None
    if fresh_hash is not None:
        with connect(state_dir) as db:
            db.execute("UPDATE users SET password_hash = ? WHERE name = ?", (fresh_hash, row[0]))
    return _user(row[:4])
