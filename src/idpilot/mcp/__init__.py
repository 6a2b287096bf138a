"""The MCP server (`idpilot mcp`, the `api` extra): the skills, `ask` and `kql` as read-only
tools and the Log Analytics views as resources, over stdio or streamable HTTP.

Every tool result carries the grounded Answer the CLI and the REST API give: its text and
citations as text, the Answer object as structured content.
"""

from __future__ import annotations

from idpilot.mcp.caller import LOCAL_CALLER, McpCaller
from idpilot.mcp.server import create_server

__all__ = ["LOCAL_CALLER", "McpCaller", "create_server"]
