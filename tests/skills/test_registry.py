"""Skill discovery: every built-in registers without importing the engines it runs on."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest

from idpilot.skills import SkillRegistry, default_registry

ENGINES = (
    "idpilot.security.risk_summary",
    "idpilot.security.workload",
    "idpilot.posture",
    "idpilot.ca_analysis.coverage",
    "idpilot.ca_analysis.failed_attempt",
    "idpilot.ca_analysis.sign_in_patterns",
    "idpilot.ca_analysis.tenant_policies",
    "idpilot.conditional_access.evaluator",
)


def test_registering_the_builtins_imports_no_engine_until_a_skill_runs() -> None:
    probe = (
        "import sys\n"
        "from idpilot.skills import default_registry\n"
        "registry = default_registry()\n"
        "assert 'detect_threats' in registry and 'posture_assessment' in registry\n"
        f"print(sorted(m for m in {ENGINES!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_every_builtin_skill_has_a_described_input_model() -> None:
    skills = default_registry().all()
    assert len(skills) >= 20
    for skill in skills:
        assert skill.description and skill.input_model.model_json_schema()


def test_a_builtin_is_imported_when_its_skill_is_first_asked_for() -> None:
    probe = (
        "import sys\n"
        "from idpilot.skills import default_registry\n"
        "registry = default_registry()\n"
        "assert 'role_holders' in registry and 'user_details' in registry\n"
        "before = [m for m in sys.modules if m.startswith('idpilot.skills.builtin.')]\n"
        "registry.get('role_holders')\n"
        "after = [m for m in sys.modules if m.startswith('idpilot.skills.builtin.')]\n"
        "print(sorted(set(after) - set(before)), [s.name for s in registry.loaded()])\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    modules, loaded = done.stdout.strip().split("] [")
    assert "'idpilot.skills.builtin.role_holders'" in modules
    assert "user_details" not in modules
    assert loaded == "'role_holders']"


def test_builtins_declare_no_exemplars_their_intents_are_in_the_shipped_bank() -> None:
    """The classifier reads the exemplars of the skills loaded so far (`loaded`): a built-in
    declaring its own would change the intent model once its skill had run."""
    assert [skill.name for skill in default_registry().all() if skill.examples] == []


def test_a_name_is_registered_once_whether_its_module_is_loaded_or_not() -> None:
    registry = SkillRegistry()
    registry.defer("role_holders", "idpilot.skills.builtin.role_holders")
    with pytest.raises(ValueError, match="registered twice"):
        registry.add(replace(default_registry().get("role_holders")))
    with pytest.raises(ValueError, match="registered twice"):
        registry.defer("role_holders", "elsewhere")
    assert registry.get("role_holders").name == "role_holders"
    assert [skill.name for skill in registry.loaded()] == ["role_holders"]
