"""Offline Conditional Access engine: evaluates Graph policies against a sign-in context."""

from __future__ import annotations

from importlib import import_module
from typing import Any

_SOURCES = {
    "AppliedPolicyResult": "result",
    "ClientAppType": "context",
    "ConditionCheck": "result",
    "ConditionalAccessPolicy": "policy",
    "DeviceFilterSyntaxError": "device_filter",
    "DevicePlatform": "context",
    "DeviceState": "context",
    "Directory": "context",
    "Disagreement": "replay",
    "DisagreementKind": "replay",
    "Evaluation": "result",
    "InMemoryDirectory": "directory",
    "Outcome": "result",
    "PolicyEvaluation": "result",
    "PolicySet": "evaluator",
    "RiskLevel": "context",
    "SignInContext": "context",
    "UserFacts": "directory",
    "WithPrincipal": "directory",
    "compare": "replay",
    "context_from_sign_in": "sign_in_context",
    "evaluate": "evaluator",
    "evaluate_device_filter": "device_filter",
    "parse_device_filter": "device_filter",
    "parse_named_location": "named_location",
    "parse_policy": "policy",
}
"""Each public name and the module that defines it: a name is imported when first used, so
importing one enum does not load the whole engine."""

__all__ = sorted(_SOURCES)


def __getattr__(name: str) -> Any:
    """The public name `name`, imported from its module on first use (PEP 562)."""
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{source}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SOURCES))
