"""Remediation proposals: the exact Microsoft Graph request an action would send, never sent.

There is no HTTP client here on purpose. A proposal names the request, the objects it affects,
the request that undoes it (or why none exists) and the directory role needed to run it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from idpilot.model.records import Record

GRAPH_V1 = "https://graph.microsoft.com/v1.0"
NOT_REVERSIBLE = "not reversible"

SECURITY_ADMINISTRATOR = "Security Administrator"
USER_ADMINISTRATOR = "User Administrator (Privileged Authentication Administrator for admins)"
"""Resetting or disabling an administrator needs the privileged variant of the role."""
CLOUD_APPLICATION_ADMINISTRATOR = "Cloud Application Administrator"
CONDITIONAL_ACCESS_ADMINISTRATOR = "Conditional Access Administrator"
CA_POLICIES_PATH = "/identity/conditionalAccess/policies"
NEW_POLICY_ID = "{id of the created policy}"
"""Graph assigns a new policy's id: the POST's response carries it; later requests name it."""


class ProposalKind(StrEnum):
    """The remediation actions idpilot can propose."""

    confirm_compromised = "confirmCompromised"
    confirm_service_principal_compromised = "confirmServicePrincipalCompromised"
    dismiss_risk = "dismissRisk"
    revoke_sessions = "revokeSessions"
    require_password_reset = "requirePasswordReset"
    disable_account = "disableAccount"
    remove_service_principal_password = "removeServicePrincipalPassword"
    remove_application_password = "removeApplicationPassword"
    create_conditional_access_policy = "createConditionalAccessPolicy"
    create_lifecycle_workflow = "createLifecycleWorkflow"
    create_group = "createGroup"


class HttpMethod(StrEnum):
    """The HTTP methods proposals use."""

    post = "POST"
    patch = "PATCH"
    delete = "DELETE"


class GraphRequest(BaseModel):
    """One Microsoft Graph request: method, absolute URL and JSON body."""

    model_config = ConfigDict(frozen=True)

    method: HttpMethod
    url: str
    body: dict[str, Any] | None = None


class Proposal(BaseModel):
    """A remediation the admin may run: the request, what it touches, how to undo it."""

    kind: ProposalKind
    title: str
    request: GraphRequest
    affected: list[Record]
    """The directory objects the action changes."""
    rollback: GraphRequest | None = None
    rollback_note: str = ""
    required_role: str
    graph_permission: str
    reason: str = ""
    evidence_ids: list[str] = Field(default_factory=list)

    @property
    def reversible(self) -> bool:
        """Whether Graph offers a request that undoes this one."""
        return self.rollback is not None

    def as_fact(self) -> dict[str, Any]:
        """The proposal as plain data for a skill's `facts["proposals"]`."""
        data = self.model_dump(mode="json")
        data["reversible"] = self.reversible
        return data


def _post(path: str, body: dict[str, Any] | None = None) -> GraphRequest:
    return GraphRequest(method=HttpMethod.post, url=f"{GRAPH_V1}{path}", body=body)


def _patch(path: str, body: dict[str, Any]) -> GraphRequest:
    return GraphRequest(method=HttpMethod.patch, url=f"{GRAPH_V1}{path}", body=body)


def _ids(objects: list[Record]) -> list[str]:
    if not objects:
        raise ValueError("a proposal needs at least one object")
    return [o.id for o in objects]


def confirm_compromised(users: list[Record], reason: str = "", **kw: Any) -> Proposal:
    """Mark users compromised in Identity Protection (raises their user risk to high)."""
    ids = _ids(users)
    return Proposal(
        kind=ProposalKind.confirm_compromised,
        title="Confirm the user compromised",
        request=_post("/identityProtection/riskyUsers/confirmCompromised", {"userIds": ids}),
        affected=users,
        rollback=_post("/identityProtection/riskyUsers/dismiss", {"userIds": ids}),
        rollback_note="Dismissing the risk is the only undo Graph offers; the risk history "
        "keeps the confirmation.",
        required_role=SECURITY_ADMINISTRATOR,
        graph_permission="IdentityRiskyUser.ReadWrite.All",
        reason=reason,
        **kw,
    )


def dismiss_risk(users: list[Record], reason: str = "", **kw: Any) -> Proposal:
    """Dismiss the user risk of users the admin has checked and found safe."""
    return Proposal(
        kind=ProposalKind.dismiss_risk,
        title="Dismiss the user risk",
        request=_post("/identityProtection/riskyUsers/dismiss", {"userIds": _ids(users)}),
        affected=users,
        rollback=None,
        rollback_note=f"{NOT_REVERSIBLE}: Graph cannot restore the previous risk state.",
        required_role=SECURITY_ADMINISTRATOR,
        graph_permission="IdentityRiskyUser.ReadWrite.All",
        reason=reason,
        **kw,
    )


def confirm_service_principal_compromised(
    principals: list[Record], reason: str = "", **kw: Any
) -> Proposal:
    """Mark service principals compromised in Identity Protection for workload identities."""
    ids = _ids(principals)
    return Proposal(
        kind=ProposalKind.confirm_service_principal_compromised,
        title="Confirm the workload identity compromised",
        request=_post(
            "/identityProtection/riskyServicePrincipals/confirmCompromised",
            {"servicePrincipalIds": ids},
        ),
        affected=principals,
        rollback=_post(
            "/identityProtection/riskyServicePrincipals/dismiss", {"servicePrincipalIds": ids}
        ),
        rollback_note="Dismissing the risk is the only undo Graph offers.",
        required_role=SECURITY_ADMINISTRATOR,
        graph_permission="IdentityRiskyServicePrincipal.ReadWrite.All",
        reason=reason,
        **kw,
    )


def revoke_sessions(user: Record, reason: str = "", **kw: Any) -> Proposal:
    """Invalidate the user's refresh tokens and session cookies."""
    return Proposal(
        kind=ProposalKind.revoke_sessions,
        title="Revoke the user's sign-in sessions",
        request=_post(f"/users/{user.id}/revokeSignInSessions"),
        affected=[user],
        rollback=None,
        rollback_note=f"{NOT_REVERSIBLE}: the user signs in again.",
        required_role=USER_ADMINISTRATOR,
        graph_permission="User.RevokeSessions.All",
        reason=reason,
        **kw,
    )


def require_password_reset(user: Record, reason: str = "", **kw: Any) -> Proposal:
    """Force the user to change the password at the next sign-in."""
    return Proposal(
        kind=ProposalKind.require_password_reset,
        title="Require a password change at next sign-in",
        request=_patch(
            f"/users/{user.id}", {"passwordProfile": {"forceChangePasswordNextSignIn": True}}
        ),
        affected=[user],
        rollback=_patch(
            f"/users/{user.id}", {"passwordProfile": {"forceChangePasswordNextSignIn": False}}
        ),
        rollback_note="Clears the flag if the user has not changed the password yet.",
        required_role=USER_ADMINISTRATOR,
        graph_permission="User.ReadWrite.All",
        reason=reason,
        **kw,
    )


def disable_account(user: Record, reason: str = "", **kw: Any) -> Proposal:
    """Block the account from signing in."""
    return Proposal(
        kind=ProposalKind.disable_account,
        title="Disable the account",
        request=_patch(f"/users/{user.id}", {"accountEnabled": False}),
        affected=[user],
        rollback=_patch(f"/users/{user.id}", {"accountEnabled": True}),
        rollback_note="Re-enables the account.",
        required_role=USER_ADMINISTRATOR,
        graph_permission="User.EnableDisableAccount.All",
        reason=reason,
        **kw,
    )


def remove_service_principal_password(
    principal: Record, key_id: str, reason: str = "", **kw: Any
) -> Proposal:
    """Remove one client secret from a service principal."""
    return _remove_password(
        ProposalKind.remove_service_principal_password,
        "Remove the service principal's client secret",
        f"/servicePrincipals/{principal.id}",
        principal,
        key_id,
        reason,
        **kw,
    )


def remove_application_password(
    application: Record, key_id: str, reason: str = "", **kw: Any
) -> Proposal:
    """Remove one client secret from an application registration."""
    return _remove_password(
        ProposalKind.remove_application_password,
        "Remove the application's client secret",
        f"/applications/{application.id}",
        application,
        key_id,
        reason,
        **kw,
    )


def _remove_password(
    kind: ProposalKind,
    title: str,
    object_path: str,
    target: Record,
    key_id: str,
    reason: str,
    **kw: Any,
) -> Proposal:
    """Remove one client secret (by keyId) from the object at `object_path`."""
    return Proposal(
        kind=kind,
        title=title,
        request=_post(f"{object_path}/removePassword", {"keyId": key_id}),
        affected=[target],
        rollback=None,
        rollback_note=f"{NOT_REVERSIBLE}: the secret value is gone; add a new one "
        "(addPassword) if the app still needs it.",
        required_role=CLOUD_APPLICATION_ADMINISTRATOR,
        graph_permission="Application.ReadWrite.All",
        reason=reason,
        **kw,
    )


def create_conditional_access_policy(
    body: dict[str, Any], affected: list[Record], reason: str = "", **kw: Any
) -> Proposal:
    """Create a Conditional Access policy from its Graph JSON (report-only, as drafted)."""
    return Proposal(
        kind=ProposalKind.create_conditional_access_policy,
        title="Create the Conditional Access policy (report-only)",
        request=_post(CA_POLICIES_PATH, body),
        affected=affected,
        rollback=conditional_access_policy_request(HttpMethod.delete),
        rollback_note="Deletes the policy; its id is in the response to the POST.",
        required_role=CONDITIONAL_ACCESS_ADMINISTRATOR,
        graph_permission="Policy.ReadWrite.ConditionalAccess",
        reason=reason,
        **kw,
    )


def conditional_access_policy_request(
    method: HttpMethod, body: dict[str, Any] | None = None, policy_id: str = NEW_POLICY_ID
) -> GraphRequest:
    """A request on one Conditional Access policy (PATCH its state, DELETE it)."""
    return GraphRequest(method=method, url=f"{GRAPH_V1}{CA_POLICIES_PATH}/{policy_id}", body=body)


LIFECYCLE_WORKFLOWS_ADMINISTRATOR = "Lifecycle Workflows Administrator"
WORKFLOWS_PATH = "/identityGovernance/lifecycleWorkflows/workflows"


def create_lifecycle_workflow(
    body: dict[str, Any], affected: list[Record], reason: str = "", **kw: Any
) -> Proposal:
    """Create a lifecycle workflow from its Graph JSON (disabled and unscheduled, as drafted)."""
    return Proposal(
        kind=ProposalKind.create_lifecycle_workflow,
        title="Create the lifecycle workflow (disabled, not scheduled)",
        request=_post(WORKFLOWS_PATH, body),
        affected=affected,
        rollback=GraphRequest(
            method=HttpMethod.delete,
            url=f"{GRAPH_V1}{WORKFLOWS_PATH}/{{id of the created workflow}}",
        ),
        rollback_note="Deletes the workflow (restorable for 30 days); its id is in the response.",
        required_role=LIFECYCLE_WORKFLOWS_ADMINISTRATOR,
        graph_permission="LifecycleWorkflows.ReadWrite.All",
        reason=reason,
        **kw,
    )


GROUPS_ADMINISTRATOR = "Groups Administrator"
PRIVILEGED_ROLE_ADMINISTRATOR = "Privileged Role Administrator"


def create_group(
    body: dict[str, Any], role_assignable: bool, reason: str = "", **kw: Any
) -> Proposal:
    """Create a group from its Graph JSON (a dynamic rule drafted paused)."""
    return Proposal(
        kind=ProposalKind.create_group,
        title="Create the group",
        request=_post("/groups", body),
        affected=[],
        rollback=GraphRequest(
            method=HttpMethod.delete, url=f"{GRAPH_V1}/groups/{{id of the group}}"
        ),
        rollback_note="Deletes the group (a Microsoft 365 group can be restored for 30 days, a "
        "security group cannot); its id is in the response.",
        required_role=PRIVILEGED_ROLE_ADMINISTRATOR if role_assignable else GROUPS_ADMINISTRATOR,
        graph_permission="Group.ReadWrite.All"
        + (" and RoleManagement.ReadWrite.Directory" if role_assignable else ""),
        reason=reason,
        **kw,
    )
