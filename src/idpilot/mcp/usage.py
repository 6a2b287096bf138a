"""What an MCP call costs and leaves behind: the role checked, a unit charged to a token
holder's daily quota, and the call written to the audit trail, as the REST API does."""

from __future__ import annotations

from idpilot.api.config import ServerConfig
from idpilot.errors import IdpilotError
from idpilot.mcp.caller import McpCaller
from idpilot.state.audit import AuditEvent, record_event
from idpilot.state.quota import charge
from idpilot.state.roles import Role

CALL_UNITS = 1
"""Units a tool call or resource read costs (as a question or a KQL query of the API)."""


class RoleError(IdpilotError):
    """The caller's role does not allow what it asked for."""


def admit(config: ServerConfig, caller: McpCaller, role: Role) -> None:
    """Refuse a caller below `role` (RoleError) and charge a metered caller's quota
    (QuotaExceededError when the day's units are used)."""
    if not caller.role.allows(role):
        raise RoleError(f"this needs the {role.value} role; the caller has {caller.role.value}")
    if caller.metered:
        with config.app_state() as state:
            charge(state, caller.user, CALL_UNITS, config.quota_units_per_day, config.clock())


def record(
    config: ServerConfig,
    caller: McpCaller,
    action: str,
    prompt: str | None,
    answer_id: str | None,
    status: str,
) -> None:
    """Write one call to the audit trail with its caller."""
    event = AuditEvent(
        at=config.clock(),
        user=caller.user,
        token_id=caller.token_id,
        role=caller.role.value,
        action=action,
        prompt=prompt,
        answer_id=answer_id,
        status=status,
    )
    with config.app_state() as state:
        record_event(state, event)
