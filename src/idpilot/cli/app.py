"""The Typer application and the error handling every command shares."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from idpilot.errors import IdpilotError
from idpilot.settings import get_setting
from idpilot.store import Store
from idpilot.store.versions import new_version

app = typer.Typer(
    help="idpilot: grounded, cited answers about your Microsoft Entra ID tenant.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """idpilot: grounded, cited answers about your Microsoft Entra ID tenant."""
    # A callback keeps `idpilot` a command group even when only one command is loaded.


console = Console()
err_console = Console(stderr=True)

EXIT_USER_ERROR = 2
F = TypeVar("F", bound=Callable[..., Any])

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="DuckDB store path (env IDPILOT_STORE).", show_default=False),
]


def store_path(option: Path | None) -> Path:
    """The store path from --store, else IDPILOT_STORE / config, else the default."""
    return option if option is not None else Path(get_setting("store"))


@contextmanager
def open_store(option: Path | None, *, read_only: bool = True) -> Iterator[Store]:
    """Open the named store to read (it must hold records) or to write its next version.

    A new version replaces the store only when the block succeeds; readers go on meanwhile.
    """
    if not read_only:
        with new_version(store_path(option)) as writable:
            yield writable
        return
    store = Store.open(store_path(option), read_only=True)
    try:
        store.require_records()
        yield store
    finally:
        store.close()


def user_errors(function: F) -> F:
    """Print an IdpilotError as a one-line message and exit 2, instead of a traceback."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except IdpilotError as error:
            # soft_wrap: a path or id in the message is never broken across lines
            message = f"[bold red]error:[/] {escape(str(error))}"
            err_console.print(message, highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_USER_ERROR) from None

    return wrapper  # type: ignore[return-value]
