"""Who calls an MCP tool: a token's holder over HTTP, or the local user over stdio."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from idpilot.state.roles import Role

if TYPE_CHECKING:
    from idpilot.api.auth import Caller

LOCAL_USER = "local"
"""The audit trail's name for the user who started `idpilot mcp --transport stdio`."""


@dataclass(frozen=True)
class McpCaller:
    """The caller of one MCP request: user, role, token (None over stdio), and whether the
    daily quota applies (to token holders only)."""

    user: str
    role: Role
    token_id: str | None = None

    @property
    def metered(self) -> bool:
        """Whether calls are charged to the user's daily quota (token holders)."""
        return self.token_id is not None

    @classmethod
    def of_caller(cls, caller: Caller) -> McpCaller:
        """The caller a valid bearer token (idpilot's or Entra's) stands for."""
        return cls(user=caller.user, role=caller.role, token_id=caller.token_id)


LOCAL_CALLER = McpCaller(user=LOCAL_USER, role=Role.reader)
"""Over stdio the client started the process as a user who can read the store file: no token,
no quota, the reader's tools (the only ones MCP offers), audited as `local`."""
