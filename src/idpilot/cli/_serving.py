"""What `idpilot serve` and `idpilot mcp --transport http` say when they start."""

from __future__ import annotations

from typing import TYPE_CHECKING

from idpilot.cli.app import console, err_console

if TYPE_CHECKING:
    from idpilot.api.config import ServerConfig


def announce(config: ServerConfig, host: str, where: str, token_hint: str) -> None:
    """Print where the server listens, its store and state, the first admin token (shown once,
    on first start) with `token_hint`, and a warning when it is bound beyond loopback."""
    from idpilot.api.server import first_admin_token, is_loopback

    issued = first_admin_token(config)
    console.print(where, highlight=False, markup=False)
    console.print(f"store {config.store}; app state {config.state}", highlight=False, markup=False)
    if issued is not None:
        console.print(
            f"First start: an admin token, shown this once ({token_hint}):",
            highlight=False,
            markup=False,
        )
        console.print(f"  {issued.secret}", highlight=False, markup=False)
    if not is_loopback(host):
        err_console.print(
            f"warning: bound to {host}: other machines can reach this server; put TLS in front.",
            highlight=False,
            markup=False,
        )
