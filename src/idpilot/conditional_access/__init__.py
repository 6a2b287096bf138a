"""Offline Conditional Access engine: evaluates Graph policies against a sign-in context."""

from __future__ import annotations

from idpilot._lazy_exports import lazy_exports

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

__getattr__, __dir__ = lazy_exports(__name__, _SOURCES, globals())
