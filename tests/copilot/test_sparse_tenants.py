"""Every skill answers on tenants it was not tuned for: an empty one, and Graph's own examples.

Real exports omit properties ($select), lack whole collections, and use shapes the demo never
generates; no prompt may crash or name an entity without evidence on them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from idpilot.copilot.answer import AnswerStatus
from idpilot.copilot.engine import Copilot
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from tests.helpers import snapshot_from_examples
from tests.sources.test_ingest import VALID_LIST_EXAMPLES

PROMPTS = (
    "Tell me about Adele Vance",
    "who are the members of Golf Assist",
    "why did Test Contoso fail to sign in?",
    "what happens if Adele Vance signs in from an unmanaged iPhone in France?",
    "where are the gaps in our conditional access policies?",
    "anything suspicious in the last 24 hours?",
    "summarize the risk for Adele Vance",
    "which users are risky?",
    "show risky service principals and dangerous app permissions",
    "give me a security posture assessment",
    "guests created this month",
    "groups without owners",
    "why is Adele Vance in Golf Assist?",
    "explain the membership rule of Golf Assist",
    "who holds Global Administrator?",
    "how did Adele Vance get her roles?",
    "what changed for Adele Vance last week?",
    "who added Adele Vance to Global Administrator?",
    "what did MOD Administrator do last week?",
    "which conditional access policies changed this month?",
    "who has privileged roles?",
    "disabled accounts that still hold licences",
    "users who never signed in",
)


@pytest.fixture(scope="module", params=["empty", "graph-examples"])
def sparse_copilot(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Copilot]:
    """A copilot over an empty store, or over a store of Graph's published examples."""
    folder = tmp_path_factory.mktemp(request.param)
    store = Store.open(Path(folder) / "store.duckdb")
    if request.param == "graph-examples":
        ingest_folder(store, snapshot_from_examples(folder / "snapshot", VALID_LIST_EXAMPLES))
    yield Copilot(store)
    store.close()


@pytest.mark.parametrize("prompt", PROMPTS)
def test_every_skill_answers_on_sparse_tenants(sparse_copilot: Copilot, prompt: str) -> None:
    answer = sparse_copilot.ask(prompt)  # the grounding check raises if an entity is unbacked
    assert answer.status is not AnswerStatus.out_of_scope
    assert answer.answer.strip()


def test_a_question_about_risky_users_is_routed_to_the_risk_ranking(
    sparse_copilot: Copilot,
) -> None:
    assert [s.name for s in sparse_copilot.ask("which users are risky?").skills] == ["risky_users"]
