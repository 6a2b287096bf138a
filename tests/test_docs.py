"""The README documents every setting and every command (datasette's practice)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import idpilot.cli
from idpilot.cli.app import app
from idpilot.settings import SETTINGS

README = (Path(__file__).parent.parent / "README.md").read_text()


def test_settings_table_matches_the_declared_settings() -> None:
    rows = re.findall(r"^\| `(IDPILOT_\w+)` \| `([^`]*)` \| (.+?) \|$", README, re.M)
    assert rows == [(s.env, s.default, s.help) for s in SETTINGS]


def test_every_command_is_documented() -> None:
    for info in pkgutil.iter_modules(idpilot.cli.__path__):
        importlib.import_module(f"idpilot.cli.{info.name}")
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    names += [g.name for g in app.registered_groups]
    assert names
    for name in names:
        assert f"`idpilot {name}" in README, f"README does not document `idpilot {name}`"


def test_every_skill_is_documented() -> None:
    from idpilot.skills import default_registry

    for skill in default_registry().all():
        assert f"| `{skill.name}` |" in README, f"README does not document skill {skill.name}"


def test_every_snapshot_collection_is_documented() -> None:
    from idpilot.model.collections import Collection

    for collection in Collection:
        assert f"`{collection.value}`" in README, f"README does not name {collection.value}"
