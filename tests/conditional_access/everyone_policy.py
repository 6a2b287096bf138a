"""A Graph-shaped Conditional Access policy for every user, app and client, for small tests."""

from __future__ import annotations


def everyone_policy(pid: str, state: str = "enabled", control: str = "mfa") -> dict:
    """A policy named `pid` in `state` that applies to every sign-in and grants by `control`."""
    return {
        "id": pid,
        "displayName": pid,
        "state": state,
        "conditions": {
            "users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["all"],
        },
        "grantControls": {"operator": "OR", "builtInControls": [control]},
    }
