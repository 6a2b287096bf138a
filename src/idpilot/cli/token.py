"""`idpilot token create | revoke | list`: the API's bearer tokens, in the app state."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import orjson
import typer
from rich.table import Column, Table
from rich.text import Text

from idpilot.cli.app import StoreOption, app, console, store_path, user_errors
from idpilot.copilot.inert import inert_json, inert_text
from idpilot.state.paths import state_path
from idpilot.state.roles import Role
from idpilot.state.tokens import (
    ID_HEX_CHARS,
    ID_PREFIX,
    TokenRecord,
    issue_token,
    list_tokens,
    parse_duration,
    revoke_token,
)
from idpilot.store.app_state import open_app_state

token_app = typer.Typer(help="API tokens: create, revoke, list.", no_args_is_help=True)
app.add_typer(token_app, name="token")


def _json(record: TokenRecord, now: datetime, **extra: str) -> str:
    data = {**record.model_dump(mode="json"), "state": record.state_at(now), **extra}
    return inert_json(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())


@token_app.command("create")
@user_errors
def create(
    user: Annotated[str, typer.Option("--user", help="Who the token is for.")],
    role: Annotated[Role, typer.Option("--role", help="reader, operator or admin.")],
    expires: Annotated[
        str | None, typer.Option("--expires", help="Lifetime: 30d, 12h, 2w, 90m (default never).")
    ] = None,
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the token as JSON.")] = False,
) -> None:
    """Create a token and print its secret, this once (only its hash is kept)."""
    now = datetime.now(UTC)
    lifetime = parse_duration(expires) if expires else None
    with open_app_state(state_path(store_path(store))) as state:
        issued = issue_token(state, user, role, lifetime, now)
    if as_json:
        typer.echo(_json(issued.record, now, secret=issued.secret))
        return
    record = issued.record
    until = record.expires_at.isoformat() if record.expires_at else "never expires"
    console.print(
        f"{record.id} for {inert_text(record.user)} ({record.role.value}, {until})",
        highlight=False,
        markup=False,
    )
    console.print(issued.secret, highlight=False, markup=False)
    console.print("The secret is shown this once; keep it safe.", highlight=False, markup=False)


@token_app.command("revoke")
@user_errors
def revoke(
    token_id: Annotated[str, typer.Argument(help="The token's id (tok_...).")],
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the token as JSON.")] = False,
) -> None:
    """Revoke a token: the API refuses it from now on."""
    now = datetime.now(UTC)
    with open_app_state(state_path(store_path(store))) as state:
        record = revoke_token(state, token_id, now)
    if as_json:
        typer.echo(_json(record, now))
    else:
        console.print(f"revoked {record.id}", highlight=False, markup=False)


@token_app.command("list")
@user_errors
def list_(
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the tokens as JSON.")] = False,
) -> None:
    """Every token with its user, role and state (never a secret)."""
    now = datetime.now(UTC)
    with open_app_state(state_path(store_path(store))) as state:
        records = list_tokens(state)
    if as_json:
        rows = [{**r.model_dump(mode="json"), "state": r.state_at(now)} for r in records]
        typer.echo(inert_json(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode()))
        return
    table = Table(
        Column("id", no_wrap=True, min_width=len(ID_PREFIX) + ID_HEX_CHARS),
        Column("user", overflow="fold"),
        "role",
        "state",
        Column("created", overflow="fold"),
        Column("expires", overflow="fold"),
    )
    for r in records:
        table.add_row(
            Text(r.id),
            Text(inert_text(r.user)),
            Text(r.role.value),
            Text(r.state_at(now)),
            Text(r.created_at.isoformat(timespec="seconds")),
            Text(r.expires_at.isoformat(timespec="seconds") if r.expires_at else "never"),
        )
    console.print(table)
    console.print(f"{len(records)} token(s)", highlight=False, markup=False)
