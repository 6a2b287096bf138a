"""A skill from a real entry-point plugin: registered, understood from its examples, composed
with the template beside it (a plugin never edits idpilot's own templates)."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from idpilot.copilot.engine import Copilot
from idpilot.skills import registry as registry_module
from idpilot.skills.registry import ENTRY_POINT_GROUP, default_registry
from tests.conftest import DemoTenant

PLUGIN = "idpilot_print_queue"


@pytest.fixture
def plugin_on_path(tmp_path: Path) -> Iterator[None]:
    """An installed-looking distribution: a package, its template, and its entry point."""
    package = tmp_path / PLUGIN
    (package / "templates").mkdir(parents=True)
    (package / "__init__.py").write_text(
        textwrap.dedent(
            '''
            from pydantic import BaseModel
            from idpilot.skills import Record, SkillResult, define_skill


            class QueueInput(BaseModel):
                """No inputs."""


            def print_queue(store, params: QueueInput) -> SkillResult:
                """Report the print queue (a plugin's skill)."""
                result = SkillResult(skill="print_queue")
                result.add_evidence(Record(kind="printJob", id="job-1", label="job 1"))
                result.facts = {"jobs": 1}
                return result


            def register(registry):
                registry.add(define_skill(print_queue, examples=(
                    "why is the print queue stuck?",
                    "how many jobs are waiting in the printer queue?",
                    "clear the stuck print jobs",
                )))
            '''
        )
    )
    (package / "templates" / "print_queue.md.j2").write_text(
        "The print queue holds {{ f.jobs }} job {{ cite('job-1') }}.\n"
    )
    dist = tmp_path / f"{PLUGIN}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {PLUGIN}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nqueue = {PLUGIN}\n")
    sys.path.insert(0, str(tmp_path))
    registry_module.default_registry.cache_clear()
    try:
        yield
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop(PLUGIN, None)
        registry_module.default_registry.cache_clear()


def test_a_plugin_skill_is_understood_and_composed_with_its_own_template(
    plugin_on_path: None, demo_tenant: DemoTenant
) -> None:
    registry = default_registry()
    assert "print_queue" in registry
    answer = Copilot(demo_tenant.store, registry=registry).ask("the print queue is stuck again")
    assert [s.name for s in answer.skills] == ["print_queue"]
    assert answer.answer.startswith("The print queue holds 1 job [1].")
    assert [(c.kind, c.id) for c in answer.citations] == [("printJob", "job-1")]
