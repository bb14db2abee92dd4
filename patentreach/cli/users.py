"""``patentreach users ...``: the accounts of ``patentreach serve`` (kept in the state folder's
``users.sqlite``). Reading figures needs no account; ``analyst`` may upload portfolios,
``admin`` may also manage users."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from patentreach.cli.options import WarehouseOption
from patentreach.cli.output import fail

if TYPE_CHECKING:
    from collections.abc import Callable

app = typer.Typer(help="Accounts of the web service: add, list, remove, set-role, set-password, API tokens.",
                  no_args_is_help=True)

StateOption = Annotated[Path | None, typer.Option(
    "--state", metavar="DIR",
    help="The service's own files, as in `patentreach serve --state` (default: <warehouse>-web).",
    show_default=False)]
PasswordStdinOption = Annotated[bool, typer.Option(
    "--password-stdin", help="Read the password from the first line of standard input (for scripts).")]
RoleOption = Annotated[str, typer.Option(
    "--role", "-r", help="viewer, analyst (may upload) or admin (may manage users).")]


def _state_dir(state: Path | None, warehouse: Path | None) -> Path:
    if state is not None:
        return state
    from patentreach.warehouse.layout import Warehouse
    from patentreach.web.config import default_state_dir

    return default_state_dir(Warehouse.locate(warehouse))


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


def _guarded(action: Callable[[], object]) -> object:
    """Run ``action``; a refusal of the store is one line and exit 2."""
    from patentreach.web.security.passwords import WeakPassword
    from patentreach.web.security.users import UserError

    try:
        return action()
    except (UserError, WeakPassword) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot use the state folder: {exc.strerror or exc}")


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The user name (letters, digits, . _ @ + -).")],
    role: RoleOption = "viewer",
    password_stdin: PasswordStdinOption = False,
    state: StateOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Add a user; the password is asked twice (hidden), or read with --password-stdin."""
    from patentreach.web.security.users import add_user, check_name, check_role

    folder = _state_dir(state, warehouse)
    _guarded(lambda: (check_name(name), check_role(role)))  # before asking for a password
    password = _password(password_stdin)
    _guarded(lambda: add_user(folder, name, password, role))
    typer.echo(f"added {name} ({role}) in {folder}")


@app.command("list")
def list_(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    state: StateOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """The users, their roles and when they were added (never their password hashes)."""
    from patentreach.web.security.users import list_users

    if fmt not in ("table", "json"):
        fail(f"unknown format {fmt!r}: choose table or json")
    users = _guarded(lambda: list_users(_state_dir(state, warehouse)))
    rows = [{"name": user.name, "role": user.role, "created": user.created} for user in users]  # type: ignore[union-attr]
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("no users yet (add one: patentreach users add NAME --role admin)")
        return
    width = max(len(row["name"]) for row in rows)
    for row in rows:
        typer.echo(f"{row['name']:<{width}}  {row['role']:<7}  {row['created']}")


@app.command("remove")
def remove(
    name: Annotated[str, typer.Argument(help="The user to remove.")],
    state: StateOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Remove a user (their open sessions end at once)."""
    from patentreach.web.security.users import remove_user

    _guarded(lambda: remove_user(_state_dir(state, warehouse), name))
    typer.echo(f"removed {name}")


@app.command("set-role")
def set_role(
    name: Annotated[str, typer.Argument(help="The user.")],
    role: Annotated[str, typer.Argument(help="viewer, analyst or admin.")],
    state: StateOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Change a user's role (they sign in again)."""
    from patentreach.web.security.users import set_role as change

    _guarded(lambda: change(_state_dir(state, warehouse), name, role))
    typer.echo(f"{name} is now {role}")


@app.command("set-password")
def set_password(
    name: Annotated[str, typer.Argument(help="The user.")],
    password_stdin: PasswordStdinOption = False,
    state: StateOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Change a user's password (asked twice, hidden; or --password-stdin); their sessions end."""
    from patentreach.web.security.users import find_user
    from patentreach.web.security.users import set_password as change

    folder = _state_dir(state, warehouse)
    if _guarded(lambda: find_user(folder, name)) is None:
        fail(f"no user {name!r}")
    password = _password(password_stdin)
    _guarded(lambda: change(folder, name, password))
    typer.echo(f"changed the password of {name}")


@app.command("token")
def token(
    name: Annotated[str, typer.Argument(help="The user the token acts as (with their current role).")],
    label: Annotated[str, typer.Option("--label", help="What the token is for (shown nowhere else).")] = "",
    state: StateOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Issue an API token (Authorization: Bearer TOKEN); it is printed once, only its digest is kept."""
    from patentreach.web.security.api_tokens import issue_token

    typer.echo(_guarded(lambda: issue_token(_state_dir(state, warehouse), name, label)))


@app.command("revoke-tokens")
def revoke_tokens(
    name: Annotated[str, typer.Argument(help="The user whose API tokens end.")],
    state: StateOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """End every API token of a user."""
    from patentreach.web.security.api_tokens import revoke_tokens as revoke

    count = _guarded(lambda: revoke(_state_dir(state, warehouse), name))
    typer.echo(f"revoked {count} token(s) of {name}")
