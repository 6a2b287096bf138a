""" "What changed since last week?" is answered from the difference between store versions,
each change citing its object and the two versions."""

from __future__ import annotations

from idpilot.copilot.engine import Copilot
from idpilot.copilot.trace import Verdict
from idpilot.store import Store
from tests.conftest import DemoTenant
from tests.history.planted import TwoVersions

QUESTION = "what changed since last week?"


def test_the_answer_cites_every_planted_change_and_both_versions(
    two_versions: TwoVersions,
) -> None:
    with Store.open(two_versions.path, read_only=True) as store:
        answer = Copilot(store).ask(QUESTION)
    assert answer.trace.intent == "tenant_changes"
    assert answer.trace.grounding.verdict is Verdict.grounded
    cited = {(c.kind, c.id) for c in answer.citations}
    assert {("storeVersion", "1"), ("storeVersion", "2")} <= cited
    assert {object_id for _, object_id, _ in two_versions.planted} <= {i for _, i in cited}
    assert "deleted user" in answer.answer and "created user" in answer.answer
    assert "state: enabled → disabled" in answer.answer


def test_a_store_of_one_version_says_there_is_nothing_to_compare_yet(
    demo_tenant: DemoTenant,
) -> None:
    answer = Copilot(demo_tenant.store).ask(QUESTION)
    assert answer.trace.intent == "tenant_changes"
    assert "Nothing to compare yet" in answer.answer and "one version" in answer.answer
