"""What Entra records for a sign-in, per Microsoft's documented Conditional Access semantics.

Written for this generator alone (it shares nothing with idpilot's engine): a sign-in that fails
primary authentication never reaches Conditional Access, so every enabled policy is recorded
`notApplied`, every report-only one `reportOnlyNotApplied`, disabled ones `notEnabled`, and
`conditionalAccessStatus` is `notApplied`. Otherwise each policy is evaluated on its own and
block wins (../shared/reference/ca_semantics.md).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from idpilot.evaluation.tenants.vindelkraft._core import Record

ENABLED = "enabled"
REPORT_ONLY = "enabledForReportingButNotEnforced"
CONTROL_NAMES = {
    "mfa": "Mfa",
    "block": "Block",
    "compliantDevice": "RequireCompliantDevice",
    "domainJoinedDevice": "RequireDomainJoinedDevice",
    "passwordChange": "RequirePasswordChange",
}


@dataclass
class Context:
    """The facts of one sign-in that policies are evaluated against."""

    user: Record
    group_ids: set[str]
    role_ids: set[str]
    app_id: str
    client: str  # browser | mobileAppsAndDesktopClients | exchangeActiveSync | other
    platform: str  # windows | macOS | iOS | android | linux
    ip: str
    country: str
    compliant: bool = False
    hybrid_joined: bool = False
    risk: str = "none"
    will_do_mfa: bool = True
    phishing_resistant: bool = False
    primary_failed: bool = False


@dataclass
class Outcome:
    """The recorded per-policy results and what they mean for the sign-in."""

    applied: list[Record] = field(default_factory=list)
    status: str = "notApplied"
    blocked: bool = False
    mfa_required: bool = False
    mfa_done: bool = False
    device_failed: bool = False


def _user_in(users: Record, ctx: Context) -> bool:
    guest = ctx.user.get("userType") == "Guest"

    def hits(prefix: str) -> bool:
        ids = users.get(f"{prefix}Users") or []
        return (
            "All" in ids
            or ctx.user["id"] in ids
            or (guest and "GuestsOrExternalUsers" in ids)
            or bool(set(users.get(f"{prefix}Groups") or []) & ctx.group_ids)
            or bool(set(users.get(f"{prefix}Roles") or []) & ctx.role_ids)
        )

    return hits("include") and not hits("exclude")


def _location_ids(locations: list[Record], ctx: Context) -> tuple[set[str], bool]:
    matched: set[str] = set()
    trusted = False
    address = ipaddress.ip_address(ctx.ip)
    for location in locations:
        if location["@odata.type"].endswith("ipNamedLocation"):
            if any(address in ipaddress.ip_network(r["cidrAddress"]) for r in location["ipRanges"]):
                matched.add(location["id"])
                trusted = trusted or bool(location["isTrusted"])
        elif ctx.country in location["countriesAndRegions"]:
            matched.add(location["id"])
    return matched, trusted


def _applies(policy: Record, ctx: Context, locations: list[Record]) -> bool:
    cond = policy["conditions"]
    if not _user_in(cond["users"], ctx):
        return False
    apps = cond["applications"]
    include = apps["includeApplications"]
    if not ("All" in include or ctx.app_id in include) or ctx.app_id in apps["excludeApplications"]:
        return False
    clients = cond["clientAppTypes"]
    if "all" not in clients and ctx.client not in clients:
        return False
    platforms = cond.get("platforms")
    if (
        platforms
        and ctx.platform not in platforms["includePlatforms"]
        and ("all" not in platforms["includePlatforms"])
    ):
        return False
    if cond["signInRiskLevels"] and ctx.risk not in cond["signInRiskLevels"]:
        return False
    if cond["userRiskLevels"]:
        return False  # no user risk is recorded on sign-ins here; only disabled policies use it
    where = cond.get("locations")
    if where:
        matched, trusted = _location_ids(locations, ctx)
        named = matched | ({"AllTrusted"} if trusted else set())
        if "All" not in where["includeLocations"] and not (named & set(where["includeLocations"])):
            return False
        if named & set(where.get("excludeLocations") or []):
            return False
    # Device filters here only exclude kiosks (an extension attribute no sign-in device carries).
    return True


def _grant_met(grant: Record, ctx: Context, mfa_done: bool) -> tuple[bool, bool, bool]:
    """(satisfied, needs interaction (MFA), failed on device) for one grant."""
    controls = grant["builtInControls"]
    met = {
        "mfa": mfa_done,
        "compliantDevice": ctx.compliant,
        "domainJoinedDevice": ctx.hybrid_joined,
        "passwordChange": False,
    }
    checks = [met[c] for c in controls if c in met]
    if grant.get("authenticationStrength"):
        checks.append(ctx.phishing_resistant)
    satisfied = any(checks) if grant["operator"] == "OR" else all(checks)
    # An unmet MFA or authentication-strength requirement asks the user for a (stronger) method.
    needs_mfa = ("mfa" in controls and not mfa_done) or (
        bool(grant.get("authenticationStrength")) and not ctx.phishing_resistant
    )
    device = any(c in controls for c in ("compliantDevice", "domainJoinedDevice"))
    return satisfied, needs_mfa, device and not satisfied


def record(policies: list[Record], ctx: Context, locations: list[Record]) -> Outcome:
    """The appliedConditionalAccessPolicies and conditionalAccessStatus Entra would log."""
    out = Outcome()
    applying = {p["id"]: _applies(p, ctx, locations) for p in policies}
    blocking = any(
        applying[p["id"]]
        and p["state"] == ENABLED
        and p["grantControls"]
        and "block" in p["grantControls"]["builtInControls"]
        for p in policies
    )
    if not ctx.primary_failed and not blocking:
        out.mfa_required = any(
            applying[p["id"]]
            and p["state"] == ENABLED
            and p["grantControls"]
            and "mfa" in p["grantControls"]["builtInControls"]
            for p in policies
        )
        out.mfa_done = out.mfa_required and ctx.will_do_mfa
    enforced_success = False
    for policy in policies:
        entry = {
            "id": policy["id"],
            "displayName": policy["displayName"],
            "enforcedGrantControls": [],
            "enforcedSessionControls": [],
            "result": "",
        }
        out.applied.append(entry)
        state = policy["state"]
        if state not in (ENABLED, REPORT_ONLY):
            entry["result"] = "notEnabled"
            continue
        prefix = "reportOnly" if state == REPORT_ONLY else ""
        if ctx.primary_failed or not applying[policy["id"]]:
            entry["result"] = f"{prefix}NotApplied" if prefix else "notApplied"
            continue
        grant = policy["grantControls"]
        session = policy.get("sessionControls") or {}
        if grant:
            entry["enforcedGrantControls"] = [CONTROL_NAMES[c] for c in grant["builtInControls"]]
            if grant.get("authenticationStrength"):
                entry["enforcedGrantControls"].append("RequireAuthenticationStrength")
        if session.get("signInFrequency"):
            entry["enforcedSessionControls"] = ["SignInFrequency"]
        if grant and "block" in grant["builtInControls"]:
            entry["result"] = "reportOnlyFailure" if prefix else "failure"
            out.blocked = out.blocked or not prefix
            continue
        if not grant:
            entry["result"] = "reportOnlySuccess" if prefix else "success"
            enforced_success = enforced_success or not prefix
            continue
        satisfied, needs_mfa, device_failed = _grant_met(grant, ctx, out.mfa_done)
        if satisfied:
            entry["result"] = "reportOnlySuccess" if prefix else "success"
            enforced_success = enforced_success or not prefix
        elif prefix:
            entry["result"] = "reportOnlyInterrupted" if needs_mfa else "reportOnlyFailure"
        else:
            entry["result"] = "failure"
            out.device_failed = out.device_failed or device_failed
    failed = any(e["result"] == "failure" for e in out.applied)
    if ctx.primary_failed:
        out.status = "notApplied"
    elif failed:
        out.status = "failure"
    elif enforced_success:
        out.status = "success"
    return out
