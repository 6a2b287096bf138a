"""The `idpilot` command line: one module per command, each registering on `app`."""

from __future__ import annotations

import importlib
import pkgutil
import sys

from idpilot.cli.app import app, console


def main() -> None:
    """Entry point of the `idpilot` script."""
    for info in pkgutil.iter_modules(__path__):
        if info.name not in ("app", "options"):
            importlib.import_module(f"{__name__}.{info.name}")
    app(prog_name="idpilot")


__all__ = ["app", "console", "main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
