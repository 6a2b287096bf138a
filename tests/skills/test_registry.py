"""Skill discovery: every built-in registers without importing the engines it runs on."""

from __future__ import annotations

import subprocess
import sys

from idpilot.skills import default_registry

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
