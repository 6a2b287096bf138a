"""Compiled grant and session controls: what a policy demands and whether the sign-in meets it.

Satisfaction rules (the vocabulary of `SignInContext.satisfied_controls`):
- `mfa`: "mfa" is in satisfied_controls, or any built-in authentication strength is.
- authentication strength X: "authenticationStrength:X" or a stronger built-in strength is in
  satisfied_controls (phishing-resistant > passwordless > multifactor); "mfa" also satisfies the
  built-in Multifactor authentication strength.
- `compliantDevice`: device.is_compliant is True (or "compliantDevice" in satisfied_controls).
- `domainJoinedDevice`: the device trust type normalises to ServerAd (hybrid joined), or
  "domainJoinedDevice" in satisfied_controls.
- `approvedApplication`, `compliantApplication`, `passwordChange`: named in satisfied_controls.
- terms of use X: "termsOfUse:X"; custom factor X: "customAuthenticationFactor:X".
An unknown device fact leaves the control unsatisfied and is reported as a missing fact; so
does MFA when "mfa" is in `SignInContext.unknown_controls` (reported as `MFA_FACT`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from idpilot.conditional_access.catalog import (
    AUTHENTICATION_STRENGTH_ENFORCED_NAME,
    CUSTOM_FACTOR_PREFIX,
    ENFORCED_GRANT_CONTROL_NAMES,
    ENFORCED_SESSION_CONTROL_NAMES,
    INTERACTIVE_CONTROLS,
    MFA_CONTROL,
    MFA_STRENGTH_ID,
    STRENGTH_PREFIX,
    STRONGER_STRENGTHS,
    TERMS_OF_USE_ENFORCED_NAME,
    TERMS_OF_USE_PREFIX,
    BuiltInControl,
    TrustType,
    normalize_trust_type,
)
from idpilot.conditional_access.context import SignInContext
from idpilot.conditional_access.policy import GrantControls, GrantOperator, SessionControls

BUILT_IN_STRENGTH_TOKENS = frozenset(STRENGTH_PREFIX + sid for sid in STRONGER_STRENGTHS)

Satisfier = Callable[[SignInContext], tuple[bool, str | None]]


@dataclass(frozen=True, slots=True)
class Control:
    """One grant control: its satisfied-controls token, its sign-in log name and its test."""

    token: str
    enforced_name: str
    interactive: bool
    satisfied: Satisfier


def _named(token: str) -> Satisfier:
    def satisfied(context: SignInContext) -> tuple[bool, str | None]:
        return token in context.satisfied_controls, None

    return satisfied


MFA_FACT = "mfaDetail.authMethod"
"""The missing fact named when a record cannot tell whether MFA was done."""


def _mfa_unknown(context: SignInContext) -> str | None:
    return MFA_FACT if MFA_CONTROL in context.unknown_controls else None


def _mfa(context: SignInContext) -> tuple[bool, str | None]:
    done = context.satisfied_controls
    if MFA_CONTROL in done or not BUILT_IN_STRENGTH_TOKENS.isdisjoint(done):
        return True, None
    return False, _mfa_unknown(context)


def _compliant_device(context: SignInContext) -> tuple[bool, str | None]:
    if BuiltInControl.compliant_device in context.satisfied_controls:
        return True, None
    device = context.device
    if device is None or device.is_compliant is None:
        return False, "device.isCompliant"
    return device.is_compliant, None


def _domain_joined_device(context: SignInContext) -> tuple[bool, str | None]:
    if BuiltInControl.domain_joined_device in context.satisfied_controls:
        return True, None
    device = context.device
    if device is None or not device.trust_type:
        return False, "device.trustType"
    return normalize_trust_type(device.trust_type) is TrustType.server_ad, None


def _strength(strength_id: str) -> Satisfier:
    accepted = frozenset(STRENGTH_PREFIX + sid for sid in STRONGER_STRENGTHS.get(strength_id, ()))
    accepted |= {STRENGTH_PREFIX + strength_id}
    if strength_id == MFA_STRENGTH_ID:
        accepted |= {MFA_CONTROL}

    def satisfied(context: SignInContext) -> tuple[bool, str | None]:
        if not accepted.isdisjoint(context.satisfied_controls):
            return True, None
        return False, _mfa_unknown(context) if MFA_CONTROL in accepted else None

    return satisfied


_BUILT_IN_SATISFIERS: dict[str, Satisfier] = {
    BuiltInControl.mfa: _mfa,
    BuiltInControl.compliant_device: _compliant_device,
    BuiltInControl.domain_joined_device: _domain_joined_device,
}


@dataclass(frozen=True, slots=True)
class Grant:
    """A policy's compiled grant controls."""

    blocks: bool
    require_all: bool
    controls: tuple[Control, ...]
    enforced_names: tuple[str, ...]
    operator: str | None
    key: tuple[object, ...] = ()  # identifies equal demands, to reuse outcomes within a sign-in

    def evaluate(self, context: SignInContext) -> GrantOutcome:
        """Which controls the sign-in has not met, and whether the policy's demand is met."""
        if self.blocks:
            return GrantOutcome(False, (BuiltInControl.block.value,), False, ())
        if not self.controls:
            return SATISFIED
        unmet: list[Control] = []
        missing: list[str] = []
        for control in self.controls:
            ok, fact = control.satisfied(context)
            if ok:
                if not self.require_all:
                    return SATISFIED
            else:
                unmet.append(control)
                if fact:
                    missing.append(fact)
        if not unmet:
            return SATISFIED
        interactive = (
            all(c.interactive for c in unmet)
            if self.require_all
            else any(c.interactive for c in unmet)
        )
        return GrantOutcome(False, tuple(c.token for c in unmet), interactive, tuple(missing))


@dataclass(frozen=True, slots=True)
class GrantOutcome:
    """Result of checking a policy's grant controls against the sign-in."""

    satisfied: bool
    unsatisfied: tuple[str, ...]
    interactive: bool  # the unmet demand could be met by the user interacting (prompt)
    missing_facts: tuple[str, ...]


SATISFIED = GrantOutcome(True, (), False, ())


def compile_grant(grant: GrantControls | None) -> Grant:
    """Compile Graph grant controls into ordered tests (built-ins, terms of use, strength)."""
    if grant is None:
        return Grant(False, False, (), (), None)
    controls: list[Control] = []
    names: list[str] = []
    blocks = False
    for value in grant.built_in_controls:
        token = str(value)
        if token == BuiltInControl.block:
            blocks = True
            names.append(ENFORCED_GRANT_CONTROL_NAMES[BuiltInControl.block])
            continue
        satisfier = _BUILT_IN_SATISFIERS.get(token, _named(token))
        enforced = ENFORCED_GRANT_CONTROL_NAMES.get(token, token)
        controls.append(Control(token, enforced, token in INTERACTIVE_CONTROLS, satisfier))
        names.append(enforced)
    for terms_id in grant.terms_of_use:
        token = TERMS_OF_USE_PREFIX + terms_id
        controls.append(Control(token, TERMS_OF_USE_ENFORCED_NAME, True, _named(token)))
    if grant.terms_of_use:
        names.append(TERMS_OF_USE_ENFORCED_NAME)
    for factor in grant.custom_authentication_factors:
        token = CUSTOM_FACTOR_PREFIX + factor
        controls.append(Control(token, factor, True, _named(token)))
        names.append(factor)
    strength = grant.authentication_strength
    if strength is not None and strength.id:
        token = STRENGTH_PREFIX + strength.id
        controls.append(
            Control(token, AUTHENTICATION_STRENGTH_ENFORCED_NAME, True, _strength(strength.id))
        )
        names.append(AUTHENTICATION_STRENGTH_ENFORCED_NAME)
    operator = str(grant.operator) if grant.operator else None
    require_all = operator == GrantOperator.and_
    key = (blocks, require_all, *(control.token for control in controls))
    return Grant(blocks, require_all, tuple(controls), tuple(names), operator, key)


def session_control_names(session: SessionControls | None) -> tuple[str, ...]:
    """Names of the session controls a policy enforces (present and not disabled)."""
    if session is None:
        return ()
    names = []
    for field, enforced in ENFORCED_SESSION_CONTROL_NAMES.items():
        value = getattr(session, _snake(field), None)
        if value is None or value is False:
            continue
        if getattr(value, "is_enabled", True) is False:
            continue
        names.append(enforced)
    return tuple(names)


def _snake(camel: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in camel)
