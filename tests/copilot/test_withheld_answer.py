"""An answer that fails the grounding check is withheld with a message meant for a person."""

from __future__ import annotations

import pytest

from idpilot.copilot import engine
from idpilot.copilot.engine import Copilot
from idpilot.errors import IdpilotError
from tests.conftest import DemoTenant


def test_an_ungrounded_answer_is_withheld_as_a_user_error(
    demo_tenant: DemoTenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "ungrounded_entities", lambda *args: ["Invented Person"])
    with pytest.raises(IdpilotError, match="withheld its answer: it named Invented Person"):
        Copilot(demo_tenant.store).ask("who are the global admins?")
