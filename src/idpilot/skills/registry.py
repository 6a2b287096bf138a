"""Skill discovery: built-ins and third-party plugins register through the same hook.

A plugin is a module with `register(registry: SkillRegistry) -> None`. Built-in skills are the
modules of the `idpilot.skills.builtin` package, each registering the skill of its own name;
third-party plugins are found through the `idpilot.skills` entry-point group.

A built-in's module is imported when its skill is first asked for (`get`, `all`): a cold
`idpilot ask` runs one skill and need not build the input models of thirty. Its name is known
from the file, so `name in registry` imports nothing.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from functools import cache
from importlib.metadata import entry_points

from idpilot.skills.base import Skill

ENTRY_POINT_GROUP = "idpilot.skills"
BUILTIN_PACKAGE = "idpilot.skills.builtin"


class SkillRegistry:
    """The skills idpilot can run, by name."""

    def __init__(self) -> None:
        self._skills: dict[str, Skill] = {}
        self._deferred: dict[str, str] = {}
        """Skills registered by name only: the module that registers each, not yet imported."""
        self._loading = threading.RLock()  # the shared registry may be asked from two threads

    def add(self, skill: Skill) -> None:
        """Register a skill; a second skill of the same name is a programmer error."""
        if skill.name in self._skills or skill.name in self._deferred:
            raise ValueError(f"skill {skill.name!r} is registered twice")
        self._skills[skill.name] = skill

    def defer(self, name: str, module_name: str) -> None:
        """Register skill `name` by name: `module_name` registers it when it is first needed."""
        if name in self._skills or name in self._deferred:
            raise ValueError(f"skill {name!r} is registered twice")
        self._deferred[name] = module_name

    def get(self, name: str) -> Skill:
        """The skill called `name` (KeyError if none)."""
        if name not in self._skills:
            with self._loading:  # another thread may be loading it: wait for it
                if name in self._deferred:
                    self._load(name)
        return self._skills[name]

    def __contains__(self, name: object) -> bool:
        return name in self._skills or name in self._deferred

    def all(self) -> list[Skill]:
        """Every registered skill, by name."""
        with self._loading:
            for name in list(self._deferred):
                self._load(name)
        return [self._skills[name] for name in sorted(self._skills)]

    def loaded(self) -> list[Skill]:
        """The skills whose modules are imported, by name: every plugin's, and the built-ins
        asked for so far (what a plugin declares, such as its exemplars, is among them)."""
        return [self._skills[name] for name in sorted(self._skills)]

    def _load(self, name: str) -> None:
        module_name = self._deferred.pop(name)
        _register_module(self, module_name)
        if name not in self._skills:
            raise ValueError(f"{module_name} did not register the skill {name!r}")


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
            registry.defer(info.name, f"{BUILTIN_PACKAGE}.{info.name}")
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        _register_module(registry, entry.value)
    return registry
