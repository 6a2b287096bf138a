"""Offline Conditional Access engine: evaluates Graph policies against a sign-in context."""

from idpilot.conditional_access.context import (
    ClientAppType,
    DevicePlatform,
    DeviceState,
    Directory,
    RiskLevel,
    SignInContext,
)
from idpilot.conditional_access.device_filter import (
    DeviceFilterSyntaxError,
    evaluate_device_filter,
    parse_device_filter,
)
from idpilot.conditional_access.directory import InMemoryDirectory, UserFacts
from idpilot.conditional_access.evaluator import PolicySet, evaluate
from idpilot.conditional_access.named_location import parse_named_location
from idpilot.conditional_access.policy import ConditionalAccessPolicy, parse_policy
from idpilot.conditional_access.replay import Disagreement, DisagreementKind, compare
from idpilot.conditional_access.result import (
    AppliedPolicyResult,
    ConditionCheck,
    Evaluation,
    Outcome,
    PolicyEvaluation,
)
from idpilot.conditional_access.sign_in_context import context_from_sign_in

__all__ = [
    "AppliedPolicyResult",
    "ClientAppType",
    "ConditionCheck",
    "ConditionalAccessPolicy",
    "DeviceFilterSyntaxError",
    "DevicePlatform",
    "DeviceState",
    "Directory",
    "Disagreement",
    "DisagreementKind",
    "Evaluation",
    "InMemoryDirectory",
    "Outcome",
    "PolicyEvaluation",
    "PolicySet",
    "RiskLevel",
    "SignInContext",
    "UserFacts",
    "compare",
    "context_from_sign_in",
    "evaluate",
    "evaluate_device_filter",
    "parse_device_filter",
    "parse_named_location",
    "parse_policy",
]
