"""The one door to the Conditional Access engine."""

from __future__ import annotations

from idpilot.conditional_access import Evaluation, PolicySet, context_from_sign_in
from idpilot.knowledge import fails_primary_authentication

__all__ = ["Evaluation", "PolicySet", "context_from_sign_in", "fails_primary_authentication"]
