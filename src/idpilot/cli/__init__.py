"""The `idpilot` command line: one module per command, each registering on `app`.

Command modules are found at start-up and imported only when their command runs
(`LazyCommandGroup` in `app.py`).
"""

from __future__ import annotations

import sys

from idpilot.cli._startup import pause_collector_while_loading, single_blas_thread
from idpilot.cli.app import EXIT_BROKEN_PIPE, app, console, quiet_stdout


def main() -> None:
    """Entry point of the `idpilot` script."""
    single_blas_thread()
    pause_collector_while_loading()
    try:
        app(prog_name="idpilot")
    finally:
        try:  # what is still buffered goes out now, while a closed pipe can be handled
            sys.stdout.flush()
        except BrokenPipeError:
            quiet_stdout()
            sys.exit(EXIT_BROKEN_PIPE)


__all__ = ["app", "console", "main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
