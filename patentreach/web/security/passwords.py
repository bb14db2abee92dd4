"""Password hashing: argon2id through argon2-cffi's ``PasswordHasher`` (its defaults are the
RFC 9106 low-memory profile), and the one rule a new password must meet.

A stored hash made with older parameters is replaced on the next successful sign-in
(``check_needs_rehash``), so raising the cost later needs no migration.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # long enough for any passphrase; bounds the hashing work per request


class WeakPassword(ValueError):
    """A new password the store refuses (too short, blank, or the user's own name)."""


@cache
def hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2id hash (with its salt and parameters) that the store keeps."""
    return hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> tuple[bool, str | None]:
    """(matches, a fresh hash to store instead) for ``password`` against ``stored_hash``; the fresh
    hash is given only when it matches and the parameters have changed since it was made."""
    try:
        hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False, None
    if hasher().check_needs_rehash(stored_hash):
        return True, hash_password(password)
    return True, None


@cache
def _decoy_hash() -> str:
    return hash_password("not a password anybody has: it only spends the same time")


def spend_verification_time(password: str) -> None:
    """Verify against a decoy hash, so that an unknown user name costs as much time as a wrong
    password and the answer's timing does not tell which names exist."""
    verify_password(_decoy_hash(), password)


def check_strength(name: str, password: str) -> None:
    """Refuse a password shorter than ten characters, blank, too long, or equal to the user name."""
    if not password or not password.strip():
        raise WeakPassword("the password is empty")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"the password is too short: at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(f"the password is too long: at most {MAX_PASSWORD_LENGTH} characters")
    if password.strip().casefold() == name.strip().casefold():
        raise WeakPassword("the password must not be the user name")
