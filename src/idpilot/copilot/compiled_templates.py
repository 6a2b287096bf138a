"""The composer's templates compiled ahead of time: the Python Jinja generates for each, shipped
in `compiled_templates.zip` beside this module.

Jinja turns a template into Python source (lexing, parsing, code generation, all in Python)
and then compiles that source; a cold `idpilot ask` renders one template and paid the whole
translation each time. The archive holds that Python source for every template the composer
ships, with a hash of what it was generated from: the template's text, the Jinja version and
the environment's options. `PrecompiledLoader` uses an entry only when that hash matches, and
otherwise compiles the template as Jinja would; both give the same code. A plugin's templates
are not in the archive and are compiled as before.

    python -m idpilot.copilot.compiled_templates          # rebuild the archive
    python -m idpilot.copilot.compiled_templates --check  # exit 1 when it is stale
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import zipfile
from collections.abc import Callable, MutableMapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import BaseLoader, Environment, Template

ARCHIVE = "compiled_templates.zip"
MANIFEST = "manifest.json"
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)
"""Every member's timestamp, so that a rebuild that changed nothing writes the same bytes."""
_PACKAGE = __package__ or "idpilot.copilot"


def archive_path() -> Path:
    """Where the shipped archive lives (inside the installed package)."""
    return Path(str(resources.files(_PACKAGE).joinpath(ARCHIVE)))


def compiler_settings(environment: Environment) -> str:
    """What Jinja's generated code depends on besides the template: its version and the
    environment's syntax and code generation options."""
    finalize = environment.finalize
    settings = {
        "jinja2": jinja2.__version__,
        "syntax": [
            environment.block_start_string, environment.block_end_string,
            environment.variable_start_string, environment.variable_end_string,
            environment.comment_start_string, environment.comment_end_string,
            environment.line_statement_prefix, environment.line_comment_prefix,
        ],
        "trim_blocks": environment.trim_blocks,
        "lstrip_blocks": environment.lstrip_blocks,
        "newline_sequence": environment.newline_sequence,
        "keep_trailing_newline": environment.keep_trailing_newline,
        "autoescape": repr(environment.autoescape),
        "optimized": environment.optimized,
        "is_async": environment.is_async,
        "extensions": sorted(environment.extensions),
        "finalize": None if finalize is None else f"{finalize.__module__}.{finalize.__qualname__}",
        "code_generator": environment.code_generator_class.__qualname__,
    }  # fmt: skip
    return json.dumps(settings, sort_keys=True)


def source_hash(settings: str, source: str) -> str:
    """The hash an archive entry is kept under: compiler settings and template text."""
    return hashlib.sha256(f"{settings}\0{source}".encode()).hexdigest()


def _member(name: str) -> str:
    return f"{hashlib.sha256(name.encode()).hexdigest()[:24]}.py"


def build_archive(environment: Environment, names: list[str]) -> bytes:
    """The archive of `names` (templates `environment` loads), byte for byte reproducible."""
    assert environment.loader is not None
    settings = compiler_settings(environment)
    manifest: dict[str, dict[str, str]] = {}
    members: dict[str, str] = {}
    for name in sorted(names):
        source, filename, _ = environment.loader.get_source(environment, name)
        python = environment.compile(source, name, filename, raw=True)
        members[_member(name)] = python
        manifest[name] = {"hash": source_hash(settings, source), "member": _member(name)}
    members[MANIFEST] = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    return _zip(members)


def _zip(members: dict[str, str]) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, text in sorted(members.items()):
            info = zipfile.ZipInfo(member, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    return buffer.getvalue()


@cache
def _opened(path: Path) -> tuple[zipfile.ZipFile, dict[str, dict[str, str]]] | None:
    """The archive at `path` and its manifest, or None when absent or unreadable."""
    try:
        archive = zipfile.ZipFile(path)
        return archive, json.loads(archive.read(MANIFEST))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None


def shipped_python(path: Path, name: str, wanted_hash: str) -> str | None:
    """The archived Python of template `name`, when it was generated from what hashes to
    `wanted_hash`; else None."""
    opened = _opened(path)
    if opened is None:
        return None
    archive, manifest = opened
    entry = manifest.get(name)
    if entry is None or entry.get("hash") != wanted_hash:
        return None
    try:
        return archive.read(entry["member"]).decode("utf-8")
    except (KeyError, OSError, zipfile.BadZipFile, UnicodeDecodeError):
        return None


class PrecompiledLoader(BaseLoader):
    """Loads templates through `loader`, taking their code from the archive when it matches."""

    def __init__(self, loader: BaseLoader, archive: Callable[[], Path] = archive_path) -> None:
        self.loader = loader
        self._archive = archive
        self._settings: str | None = None

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Any]:
        """The template's text, as the wrapped loader finds it."""
        return self.loader.get_source(environment, template)

    def list_templates(self) -> list[str]:
        """The templates the wrapped loader lists."""
        return self.loader.list_templates()

    def load(
        self,
        environment: Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> Template:
        """The template, compiled from the archived Python when current, else from its text."""
        source, filename, uptodate = self.get_source(environment, name)
        if self._settings is None:
            self._settings = compiler_settings(environment)
        python = shipped_python(self._archive(), name, source_hash(self._settings, source))
        if python is None:
            code = environment.compile(source, name, filename)
        else:  # what Environment.compile does with the Python it generated
            code = compile(python, filename or "<template>", "exec")
        globals = {} if globals is None else globals
        return environment.template_class.from_code(environment, code, globals, uptodate)


def main(argv: list[str] | None = None) -> int:
    """Rebuild the archive of the composer's templates (or, with --check, compare it)."""
    from idpilot.copilot.composer import shipped_templates

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when stale")
    parser.add_argument("--out", type=Path, default=archive_path())
    args = parser.parse_args(argv)
    environment, names = shipped_templates()
    built = build_archive(environment, names)
    if args.check:
        current = args.out.is_file() and args.out.read_bytes() == built
        print(f"{args.out}: {'current' if current else 'STALE: rebuild it'}")
        return 0 if current else 1
    args.out.write_bytes(built)
    print(f"wrote {args.out}: {len(names)} templates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
