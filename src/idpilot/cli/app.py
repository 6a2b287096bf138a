"""The Typer application and the error handling every command shares.

Commands live one per module in this package and are discovered at start-up without being
imported: `idpilot ask` loads `idpilot/cli/ask.py` only (and what it needs), so a cold process
does not pay for the KQL translator or the ingest machinery. A command whose name is not its
module's (`eval` in `evaluate.py`) is found by loading every module, as `--help` does.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

try:  # Typer 0.2x ships its own copy of Click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older Typer uses Click itself
    from click import exceptions as click_exceptions

from idpilot.cli._startup import loading_done
from idpilot.copilot.inert import inert_json, inert_markdown
from idpilot.errors import IdpilotError, SnapshotError
from idpilot.settings import get_setting

if TYPE_CHECKING:  # DuckDB and the LLM client load only for the commands that use them
    from idpilot.llm.client import ChatModel
    from idpilot.store import Store

EXIT_USER_ERROR = 2
# A reader that went away (`idpilot ask ... | head -1`): exit as if killed by SIGPIPE (128 + 13).
EXIT_BROKEN_PIPE = 141
_NOT_COMMANDS = frozenset({"app"})
_PACKAGE = __name__.rpartition(".")[0]
F = TypeVar("F", bound=Callable[..., Any])


def command_modules() -> list[str]:
    """The modules of this package that hold commands (listed from the files, not imported)."""
    folder = Path(__file__).parent
    return [
        info.name
        for info in pkgutil.iter_modules([str(folder)])
        if info.name not in _NOT_COMMANDS and not info.name.startswith("_")
    ]


def load_commands(name: str | None = None) -> None:
    """Import the module of command `name` (every command module when None or not found)."""
    modules = command_modules()
    module = None if name is None else name.replace("-", "_")
    for wanted in [module] if module in modules else modules:
        importlib.import_module(f"{_PACKAGE}.{wanted}")


def _json_requested(args: Sequence[str]) -> bool:
    return "--json" in args


def error_code(error: BaseException) -> str:
    """A stable, documented code for an error: its `code` attribute, else its class name.

    `SnapshotError` -> `snapshot`, `StoreError` -> `store`, `KqlQueryError` -> `kql_query`.
    """
    code = getattr(error, "code", None)
    if isinstance(code, str) and code:
        return code
    name = type(error).__name__.removesuffix("Error") or "error"
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def error_document(code: str, message: str, **details: Any) -> str:
    """The JSON an error prints under --json: {"error": {"code", "message", ...details}}."""
    body = {"code": code, "message": message}
    body.update({key: value for key, value in details.items() if value is not None})
    return inert_json(json.dumps({"error": body}, indent=2, default=str))


def _details(error: BaseException) -> dict[str, Any]:
    if isinstance(error, SnapshotError):
        return {
            "path": str(error.path),
            "line": error.line,
            "column": error.column,
            "field": error.field,
        }
    return {}


def quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a file (captured in tests)
        pass
    finally:
        os.close(devnull)


class LazyCommandGroup(TyperGroup):
    """A command group that imports a command's module when the command is asked for.

    It also answers `--json` parsing errors in JSON and ends quietly when the reader of its
    output has gone away.
    """

    _argv: Sequence[str] = ()

    def main(self, args: Sequence[str] | None = None, *rest: Any, **extra: Any) -> Any:
        """Run the command line (the arguments are kept to tell whether --json was asked)."""
        self._argv = list(sys.argv[1:] if args is None else args)
        return super().main(self._argv, *rest, **extra)

    def _adopt_registered(self) -> None:
        built = typer.main.get_command(app)
        if isinstance(built, TyperGroup):
            for name, command in built.commands.items():
                self.commands.setdefault(name, command)

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command (loads them all: only help and completion list them)."""
        load_commands()
        self._adopt_registered()
        return sorted(self.commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command `cmd_name`, importing its module on first use."""
        if cmd_name not in self.commands:
            load_commands(cmd_name)
            self._adopt_registered()
        return super().get_command(ctx, cmd_name)

    def make_context(self, info_name: str | None, args: list[str], **extra: Any) -> Any:
        """Parse the group's own options; a usage error under --json is printed as JSON."""
        try:
            return super().make_context(info_name, args, **extra)
        except click_exceptions.ClickException as error:
            raise _as_json_usage_error(error, args) from None

    def invoke(self, ctx: Any) -> Any:
        """Run the command; usage errors under --json become JSON, a closed pipe ends quietly."""
        loading_done()
        try:
            return super().invoke(ctx)
        except click_exceptions.ClickException as error:
            raise _as_json_usage_error(error, self._argv) from None
        except BrokenPipeError:
            quiet_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None


def _as_json_usage_error(error: Exception, args: Sequence[str]) -> Exception:
    """The same error, or (under --json) the exit after printing it as a JSON document."""
    if not _json_requested(args) or not isinstance(error, click_exceptions.ClickException):
        return error
    code = "usage" if isinstance(error, click_exceptions.UsageError) else "command"
    typer.echo(error_document(code, error.format_message()))
    return typer.Exit(error.exit_code)


app = typer.Typer(
    cls=LazyCommandGroup,
    help="idpilot: grounded, cited answers about your Microsoft Entra ID tenant.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: Typer's rich help prints a value type even for flags ("--json <bool>").
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        from idpilot import __version__

        typer.echo(f"idpilot {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            expose_value=True,
            help="Print idpilot's version and exit.",
        ),
    ] = False,
) -> None:
    """idpilot: grounded, cited answers about your Microsoft Entra ID tenant."""
    # A callback keeps `idpilot` a command group even when only one command is loaded.


class _Console(Console):
    """Rich's console, ending with EXIT_BROKEN_PIPE (not 1) when the reader has gone away."""

    def on_broken_pipe(self) -> None:
        """The reader closed the pipe: stop writing, exit as a SIGPIPE-killed process would."""
        quiet_stdout()
        raise SystemExit(EXIT_BROKEN_PIPE)


console = _Console()
err_console = _Console(stderr=True)

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="DuckDB store path (env IDPILOT_STORE).", show_default=False),
]
OfflineOption = Annotated[
    bool, typer.Option("--offline", help="Plan without the configured LLM, if any.")
]
"""--offline: the commands that can ask the configured LLM plan without it."""


def store_path(option: Path | None) -> Path:
    """The store path from --store, else IDPILOT_STORE / config, else the default."""
    return option if option is not None else Path(get_setting("store"))


@contextmanager
def open_store(
    option: Path | None, *, read_only: bool = True, require_records: bool = True
) -> Iterator[Store]:
    """Open the named store to read (it must hold records, unless `require_records` is off:
    an empty tenant then reads as one) or to write its next version.

    A new version replaces the store only when the block succeeds; readers go on meanwhile.
    """
    from idpilot.store import Store
    from idpilot.store.versions import new_version

    if not read_only:
        with new_version(store_path(option)) as writable:
            yield writable
        return
    store = Store.open(store_path(option), read_only=True)
    try:
        if require_records:
            store.require_records()
        yield store
    finally:
        store.close()


def configured_model() -> ChatModel | None:
    """The LLM the settings name, or None (offline: the LLM client is not even imported)."""
    if not get_setting("llm_base_url").strip():
        return None
    from idpilot.llm.client import model_from_settings

    return model_from_settings()


def user_errors(function: F) -> F:
    """Print an IdpilotError as a one-line message (JSON under --json) and exit 2.

    Under `--json` the error is the document on stdout: {"error": {"code", "message"}}, with
    the file, line, column and field of a snapshot error; the code is stable (`error_code`).
    """

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except IdpilotError as error:
            if kwargs.get("as_json"):
                typer.echo(error_document(error_code(error), str(error), **_details(error)))
            else:
                # soft_wrap: a path or id in the message is never broken across lines; the
                # message keeps its lines (a KQL excerpt) but no control or bidi character
                message = f"[bold red]error:[/] {escape(inert_markdown(str(error)))}"
                err_console.print(message, highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_USER_ERROR) from None

    return wrapper  # type: ignore[return-value]
