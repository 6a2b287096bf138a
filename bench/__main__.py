"""Run every benchmark on the large generated tenant: `make bench`."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

from bench.tenant import OUT, ingested_store, snapshot_folder


def main() -> int:
    """Build (or reuse) the large tenant, then run each bench_* module's main."""
    OUT.mkdir(exist_ok=True)
    folder = snapshot_folder()
    store = ingested_store(folder)
    package = Path(__file__).parent
    for info in sorted(pkgutil.iter_modules([str(package)]), key=lambda i: i.name):
        if not info.name.startswith("bench_"):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        parameters = list(inspect.signature(module.main).parameters)
        arguments = {"folder": folder, "scratch": OUT, "store_path": store}
        module.main(**{name: arguments[name] for name in parameters})
    return 0


if __name__ == "__main__":
    sys.exit(main())
