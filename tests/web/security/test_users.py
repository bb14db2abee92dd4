"""The user store and ``patentreach users``: argon2id hashes, one-line refusals, roles, epochs."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from typer.testing import CliRunner

from patentreach.cli.main import app as cli
from patentreach.web.security.passwords import WeakPassword
from patentreach.web.security.users import (
    USERS_FILE,
    UserError,
    add_user,
    authenticate,
    find_user,
    list_users,
    remove_user,
    set_password,
    set_role,
)

PASSWORD = "correct horse battery"


def stored_hash(state: Path, name: str) -> str:
    with sqlite3.connect(state / USERS_FILE) as db:
        return db.execute("SELECT password_hash FROM users WHERE name = ?", (name,)).fetchone()[0]


def test_a_user_is_kept_with_an_argon2id_hash_in_a_private_wal_file(tmp_path: Path) -> None:
    add_user(tmp_path, "alice", PASSWORD, "analyst")
    kept = stored_hash(tmp_path, "alice")
    assert kept.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORD not in kept
    assert stat.S_IMODE((tmp_path / USERS_FILE).stat().st_mode) == 0o600
    with sqlite3.connect(tmp_path / USERS_FILE) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert authenticate(tmp_path, "alice", PASSWORD).role == "analyst"
    assert authenticate(tmp_path, "ALICE", PASSWORD).name == "alice"  # names ignore case
    assert authenticate(tmp_path, "alice", PASSWORD + "!") is None
    assert authenticate(tmp_path, "nobody", PASSWORD) is None


@pytest.mark.parametrize(("name", "password", "role", "error", "message"), [
    ("ALICE", PASSWORD, "viewer", UserError, "user 'ALICE' already exists"),
    ("bob", "too short", "viewer", WeakPassword, "the password is too short: at least 10 characters"),
    ("bob", "          ", "viewer", WeakPassword, "the password is empty"),
    ("bob.the.builder", "Bob.The.Builder", "viewer", WeakPassword, "the password must not be the user name"),
    ("bob", PASSWORD, "boss", UserError, "unknown role 'boss': choose viewer, analyst, admin"),
    ("bob smith", PASSWORD, "viewer", UserError, "bad user name 'bob smith': 1-64 letters, digits or . _ @ + -"),
])
def test_refusals_are_one_line_naming_the_value(tmp_path: Path, fast_hashing: None, name, password, role, error,
                                                message) -> None:
    add_user(tmp_path, "alice", PASSWORD, "analyst")
    with pytest.raises(error) as refused:
        add_user(tmp_path, name, password, role)
    assert str(refused.value) == message
    assert [user.name for user in list_users(tmp_path)] == ["alice"]


def test_a_hash_with_old_parameters_is_replaced_at_sign_in(tmp_path: Path) -> None:
    add_user(tmp_path, "alice", PASSWORD, "analyst")
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    with sqlite3.connect(tmp_path / USERS_FILE) as db:
        db.execute("UPDATE users SET password_hash = ? WHERE name = 'alice'", (weak,))
    assert authenticate(tmp_path, "alice", PASSWORD) is not None
    assert stored_hash(tmp_path, "alice").startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_changes_raise_the_epoch_so_older_sessions_end(tmp_path: Path, fast_hashing: None) -> None:
    add_user(tmp_path, "alice", PASSWORD, "viewer")
    assert find_user(tmp_path, "alice").epoch == 0
    set_role(tmp_path, "alice", "admin")
    set_password(tmp_path, "alice", PASSWORD + " two")
    assert (find_user(tmp_path, "alice").role, find_user(tmp_path, "alice").epoch) == ("admin", 2)
    assert authenticate(tmp_path, "alice", PASSWORD) is None
    remove_user(tmp_path, "alice")
    assert find_user(tmp_path, "alice") is None
    with pytest.raises(UserError, match=r"^no user 'alice'$"):
        remove_user(tmp_path, "alice")


def test_the_users_command(tmp_path: Path, fast_hashing: None) -> None:
    state = str(tmp_path / "state")
    runner = CliRunner()
    added = runner.invoke(cli, ["users", "add", "alice", "--role", "analyst", "--password-stdin", "--state", state],
                          input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert added.stdout == f"added alice (analyst) in {state}\n"
    prompted = runner.invoke(cli, ["users", "add", "root", "--role", "admin", "--state", state],
                             input=f"{PASSWORD} x\n{PASSWORD} x\n")
    assert prompted.exit_code == 0, prompted.output
    assert stored_hash(Path(state), "root").startswith("$argon2id$")
    listed = runner.invoke(cli, ["users", "list", "--format", "json", "--state", state])
    assert [(row["name"], row["role"]) for row in json.loads(listed.stdout)] == [
        ("alice", "analyst"), ("root", "admin")]
    table = runner.invoke(cli, ["users", "list", "--state", state]).stdout.splitlines()
    assert [line.split()[:2] for line in table] == [["alice", "analyst"], ["root", "admin"]]

    duplicate = runner.invoke(cli, ["users", "add", "Alice", "--password-stdin", "--state", state],
                              input=PASSWORD + "\n")
    assert (duplicate.exit_code, duplicate.stderr.strip()) == (2, "error: user 'Alice' already exists")
    weak = runner.invoke(cli, ["users", "add", "bob", "--password-stdin", "--state", state], input="short\n")
    assert (weak.exit_code, weak.stderr.strip()) == (2, "error: the password is too short: at least 10 characters")
    role = runner.invoke(cli, ["users", "add", "bob", "--role", "boss", "--state", state])
    assert (role.exit_code, role.stderr.strip()) == (2, "error: unknown role 'boss': choose viewer, analyst, admin")

    promoted = runner.invoke(cli, ["users", "set-role", "alice", "admin", "--state", state])
    assert promoted.stdout == "alice is now admin\n"
    changed = runner.invoke(cli, ["users", "set-password", "alice", "--password-stdin", "--state", state],
                            input=PASSWORD + " new\n")
    assert changed.stdout == "changed the password of alice\n"
    assert authenticate(Path(state), "alice", PASSWORD + " new").role == "admin"
    assert runner.invoke(cli, ["users", "remove", "alice", "--state", state]).stdout == "removed alice\n"
    gone = runner.invoke(cli, ["users", "remove", "alice", "--state", state])
    assert (gone.exit_code, gone.stderr.strip()) == (2, "error: no user 'alice'")
    assert [user.name for user in list_users(Path(state))] == ["root"]
