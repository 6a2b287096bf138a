"""The one door to the Conditional Access engine."""

from __future__ import annotations

from idpilot.conditional_access import PolicySet, context_from_sign_in

__all__ = ["PolicySet", "context_from_sign_in"]
