"""Conditional Access policies drafted from a description, or pasted, and proved against the
tenant's records before they exist: never sent anywhere."""

from idpilot.ca_drafting.description import PolicyDescription, read_description
from idpilot.ca_drafting.draft import (
    NotAPolicyError,
    ProvedPolicy,
    check_policy,
    draft_policy,
)

__all__ = [
    "NotAPolicyError",
    "PolicyDescription",
    "ProvedPolicy",
    "check_policy",
    "draft_policy",
    "read_description",
]
