"""Skill discovery: built-ins and third-party plugins register through the same hook.

A plugin is a module with `register(registry: SkillRegistry) -> None`. Built-in skills are the
modules of the `idpilot.skills.builtin` package; third-party plugins are found through the
`idpilot.skills` entry-point group.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from importlib.metadata import entry_points

from idpilot.skills.base import Skill

ENTRY_POINT_GROUP = "idpilot.skills"
BUILTIN_PACKAGE = "idpilot.skills.builtin"


class SkillRegistry:
    """The skills idpilot can run, by name."""

    def __init__(self) -> None:
        self._skills: dict[str, Skill] = {}

    def add(self, skill: Skill) -> None:
        """Register a skill; a second skill of the same name is a programmer error."""
        if skill.name in self._skills:
            raise ValueError(f"skill {skill.name!r} is registered twice")
        self._skills[skill.name] = skill

    def get(self, name: str) -> Skill:
        """The skill called `name` (KeyError if none)."""
        return self._skills[name]

    def __contains__(self, name: object) -> bool:
        return name in self._skills

    def all(self) -> list[Skill]:
        """Every registered skill, by name."""
        return [self._skills[name] for name in sorted(self._skills)]


def _register_module(registry: SkillRegistry, module_name: str) -> None:
    module = importlib.import_module(module_name)
    register = getattr(module, "register", None)
    if register is not None:
        register(registry)


@cache
def default_registry() -> SkillRegistry:
    """The built-in skills plus every installed plugin, loaded once."""
    registry = SkillRegistry()
    package = importlib.import_module(BUILTIN_PACKAGE)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            _register_module(registry, f"{BUILTIN_PACKAGE}.{info.name}")
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        _register_module(registry, entry.value)
    return registry
