"""The one door to the Conditional Access engine (branch `ca`)."""

from __future__ import annotations

try:
    from idpilot.conditional_access import PolicySet, context_from_sign_in
except ImportError:  # TEMPORARY until branch ca merges: delete this branch and _ca_fallback.py
    from ._ca_fallback import PolicySet, context_from_sign_in  # type: ignore[assignment]

__all__ = ["PolicySet", "context_from_sign_in"]
