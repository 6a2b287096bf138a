# TEMPORARY until branch ca merges: a minimal stand-in for idpilot.conditional_access so the demo
# tests run before the real engine lands. The integrator deletes this file (see _ca.py).
"""Minimal Conditional Access evaluator covering the conditions the demo policies use."""

from __future__ import annotations

import ipaddress

from idpilot.conditional_access.context import (
    ClientAppType,
    DevicePlatform,
    DeviceState,
    Directory,
    RiskLevel,
    SignInContext,
)
from idpilot.conditional_access.result import (
    AppliedPolicyResult,
    Evaluation,
    Outcome,
    PolicyEvaluation,
)

_CLIENT_APPS = {
    "Browser": ClientAppType.browser,
    "Mobile Apps and Desktop clients": ClientAppType.mobile_apps_and_desktop_clients,
    "Exchange ActiveSync": ClientAppType.exchange_active_sync,
}
_PLATFORMS = {
    "windows": DevicePlatform.windows,
    "ios": DevicePlatform.ios,
    "macos": DevicePlatform.macos,
    "android": DevicePlatform.android,
    "linux": DevicePlatform.linux,
}
_TRUST = {"Azure AD joined": "AzureAd", "Hybrid Azure AD joined": "ServerAd"}
_TRUST["Azure AD registered"] = "Workplace"
_GRANT_NAMES = {
    "mfa": "Mfa",
    "compliantDevice": "RequireCompliantDevice",
    "domainJoinedDevice": "RequireDomainJoinedDevice",
    "block": "Block",
    "passwordChange": "RequirePasswordChange",
}


def context_from_sign_in(sign_in: dict) -> SignInContext:
    device = sign_in.get("deviceDetail") or {}
    os_name = (device.get("operatingSystem") or "").split(" ")[0].lower()
    client = sign_in.get("clientAppUsed")
    status = sign_in.get("status") or {}
    risk = sign_in.get("riskLevelDuringSignIn")
    mfa = sign_in.get("authenticationRequirement") == "multiFactorAuthentication"
    return SignInContext(
        user_id=sign_in["userId"],
        app_id=sign_in.get("appId"),
        client_app=_CLIENT_APPS.get(client, ClientAppType.other) if client else None,
        platform=_PLATFORMS.get(os_name),
        ip_address=sign_in.get("ipAddress"),
        country=(sign_in.get("location") or {}).get("countryOrRegion"),
        device=DeviceState(
            device_id=device.get("deviceId") or None,
            is_compliant=device.get("isCompliant"),
            is_managed=device.get("isManaged"),
            trust_type=_TRUST.get(device.get("trustType") or ""),
            operating_system=device.get("operatingSystem"),
        ),
        sign_in_risk=RiskLevel(risk) if risk in ("none", "low", "medium", "high") else None,
        satisfied_controls={"mfa"} if mfa and status.get("errorCode") == 0 else set(),
    )


class PolicySet:
    def __init__(self, policies: list[dict], named_locations: list[dict]) -> None:
        self.policies = policies
        self.locations = {loc["id"]: loc for loc in named_locations}

    @classmethod
    def from_graph(cls, policies: list[dict], named_locations: list[dict]) -> PolicySet:
        return cls(policies, named_locations)

    def _in_location(self, ref: str, ctx: SignInContext) -> bool:
        if ref == "All":
            return True
        locs = list(self.locations.values()) if ref == "AllTrusted" else [self.locations.get(ref)]
        for loc in locs:
            if loc is None or (ref == "AllTrusted" and not loc.get("isTrusted")):
                continue
            if "countriesAndRegions" in loc and ctx.country in loc["countriesAndRegions"]:
                return True
            for r in loc.get("ipRanges", []):
                if ctx.ip_address and ipaddress.ip_address(ctx.ip_address) in ipaddress.ip_network(
                    r["cidrAddress"], strict=False
                ):
                    return True
        return False

    def _applies(self, policy: dict, ctx: SignInContext, directory: Directory) -> bool:
        c = policy["conditions"]
        u = c["users"]
        groups = directory.group_ids_of(ctx.user_id)
        roles = directory.role_template_ids_of(ctx.user_id)
        guest = directory.user_type_of(ctx.user_id) == "Guest"

        def hits(users: list, grps: list, rls: list) -> bool:
            return (
                "All" in users
                or ctx.user_id in users
                or (guest and "GuestsOrExternalUsers" in users)
                or bool(groups & set(grps))
                or bool(roles & set(rls))
            )

        if not hits(u["includeUsers"], u["includeGroups"], u["includeRoles"]):
            return False
        if hits(
            [x for x in u["excludeUsers"] if x != "All"], u["excludeGroups"], u["excludeRoles"]
        ):
            return False
        apps = c["applications"]
        if (
            "All" not in apps["includeApplications"]
            and ctx.app_id not in apps["includeApplications"]
        ):
            return False
        if ctx.app_id in apps["excludeApplications"]:
            return False
        client_apps = c.get("clientAppTypes") or ["all"]
        if "all" not in client_apps and (ctx.client_app or "") not in client_apps:
            return False
        if c.get("signInRiskLevels") and (ctx.sign_in_risk or "none") not in c["signInRiskLevels"]:
            return False
        if c.get("userRiskLevels") and (ctx.user_risk or "none") not in c["userRiskLevels"]:
            return False
        locations = c.get("locations")
        if locations:
            if not any(self._in_location(x, ctx) for x in locations["includeLocations"]):
                return False
            if any(self._in_location(x, ctx) for x in locations["excludeLocations"]):
                return False
        return True

    @staticmethod
    def _unsatisfied(grant: dict, ctx: SignInContext) -> list[str]:
        device = ctx.device or DeviceState()
        have = set(ctx.satisfied_controls)
        if device.is_compliant:
            have.add("compliantDevice")
        if device.trust_type == "ServerAd":
            have.add("domainJoinedDevice")
        controls = grant["builtInControls"]
        missing = [x for x in controls if x not in have]
        if "block" in controls:
            return ["block"]
        if grant["operator"] == "OR" and len(missing) < len(controls):
            return []
        return missing

    def evaluate(self, context: SignInContext, directory: Directory) -> Evaluation:
        results, required, blocking, outcome = [], [], [], Outcome.allowed
        for policy in self.policies:
            grant = policy.get("grantControls") or {"operator": "OR", "builtInControls": []}
            session = policy.get("sessionControls") or {}
            grants = [_GRANT_NAMES[x] for x in grant["builtInControls"]]
            sessions = ["SignInFrequency"] if (session.get("signInFrequency") or {}) else []
            if session.get("persistentBrowser"):
                sessions.append("PersistentBrowserSessionMode")
            state = policy["state"]
            report = state == "enabledForReportingButNotEnforced"
            if state == "disabled":
                result = AppliedPolicyResult.not_enabled
                missing: list[str] = []
            elif not self._applies(policy, context, directory):
                result = AppliedPolicyResult.not_applied
                missing = []
            else:
                missing = self._unsatisfied(grant, context)
                result = AppliedPolicyResult.failure if missing else AppliedPolicyResult.success
            if report:
                result = AppliedPolicyResult(
                    "reportOnly" + result.value[0].upper() + result.value[1:]
                )
            elif result == AppliedPolicyResult.failure:
                if missing == ["block"]:
                    blocking.append(policy["id"])
                    outcome = Outcome.blocked
                else:
                    required += [x for x in missing if x not in required]
                    if outcome != Outcome.blocked:
                        outcome = Outcome.controls_required
            results.append(
                PolicyEvaluation(
                    policy_id=policy["id"],
                    display_name=policy["displayName"],
                    state=state,
                    result=result,
                    enforced_grant_controls=grants,
                    enforced_session_controls=sessions,
                    unsatisfied_controls=missing,
                )
            )
        return Evaluation(
            policies=results,
            outcome=outcome,
            required_controls=required if outcome == Outcome.controls_required else [],
            blocking_policy_ids=blocking,
        )
