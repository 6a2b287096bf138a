"""The MCP tools: every skill with its typed input model, `ask` and `kql`, all read-only.

A skill or `ask` call answers with the grounded Answer (text and citations as text, the Answer
as structured content); `kql` with the rows, from the local views or, with `remote`, from the
server's Log Analytics workspace or Azure Data Explorer database (admin only, as
`POST /api/kql/remote`). Arguments are checked against the tool's input
model, unknown ones refused, and a refusal names each field and what is wrong (the values sent
are never repeated). A call that does work is charged to a token holder's daily quota and
written to the audit trail, as the REST API's are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import mcp_types as types
import orjson
from pydantic import BaseModel, Field, ValidationError

from idpilot.api.config import ServerConfig
from idpilot.api.context import copilot_for, tenant_store
from idpilot.api.errors import error_document, from_idpilot_error
from idpilot.api.models import KqlResponse, RemoteKqlResponse, Strict
from idpilot.api.responses import json_text
from idpilot.copilot.answer import Answer
from idpilot.copilot.inert import inert_text
from idpilot.errors import IdpilotError
from idpilot.kql.adapter import run_kql
from idpilot.kql.remote.services import RemoteService
from idpilot.mcp.caller import McpCaller
from idpilot.mcp.usage import RoleError, admit, record
from idpilot.skills import default_registry
from idpilot.skills.base import Skill
from idpilot.state.roles import Role

TOOL_ROLE = Role.reader
"""Every MCP tool reads: a reader's token (or any above it) may call them all..."""
REMOTE_KQL_ROLE = Role.admin
"""...except `kql` with `remote`: the server's identity may read every table of the workspace,
not only the seven the local views hold (the REST API's rule for `POST /api/kql/remote`)."""
ASK = "ask"
KQL = "kql"
MAX_KQL_ROWS = 1_000
DEFAULT_KQL_ROWS = 100
MAX_KQL_CHARS = 20_000
_MAX_PROBLEMS = 5
Runner = Callable[[ServerConfig, BaseModel], "Outcome"]
"""What a call of a tool does with its checked arguments."""
_READ_ONLY = types.ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)


class AskInput(Strict):
    """A question about the tenant."""

    prompt: str = Field(
        min_length=1,
        description="The question, in an admin's words (e.g. 'Why did alice fail to sign in "
        "this morning?'). Answered from the tenant snapshot only, every fact cited.",
    )


class KqlInput(Strict):
    """A read-only KQL query over the Log Analytics views."""

    query: str = Field(
        min_length=1,
        max_length=MAX_KQL_CHARS,
        description="KQL over SigninLogs, AADNonInteractiveUserSignInLogs, "
        "AADServicePrincipalSignInLogs, AuditLogs, AADRiskyUsers, AADUserRiskEvents or "
        "AADRiskyServicePrincipals; now() and ago() are the snapshot time.",
    )
    limit: int = Field(DEFAULT_KQL_ROWS, ge=1, le=MAX_KQL_ROWS, description="Rows returned.")
    remote: RemoteService | None = Field(
        None,
        description="Run the query unchanged where the logs live instead: `la` (the server's "
        "Log Analytics workspace) or `adx` (its Azure Data Explorer database). Admin only.",
    )
    timespan: str | None = Field(
        None, max_length=100, description="With remote `la`: the time range, e.g. P7D or 7d."
    )


class ArgumentsError(ValueError):
    """A tool's arguments do not fit its input model; the message names each problem."""


class UnknownToolError(LookupError):
    """No tool has the name a client called."""


@dataclass(frozen=True)
class McpTool:
    """One tool: its name, description, input model, result model, and what a call does."""

    name: str
    description: str
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    run: Runner
    action: str = "mcp_tool"
    """The audit trail's name for a call of this tool."""
    needs: Callable[[BaseModel], tuple[Role, str]] | None = None
    """The role a call with these arguments needs and its audit action, when they depend on
    the arguments (None: `TOOL_ROLE` and `action`)."""

    def role_and_action(self, params: BaseModel) -> tuple[Role, str]:
        """The role a call with `params` needs, and the audit trail's name for it."""
        return self.needs(params) if self.needs else (TOOL_ROLE, self.action)

    def listed(self) -> types.Tool:
        """The tool as `tools/list` shows it: its input schema is the input model's."""
        schema = self.input_model.model_json_schema()
        schema["additionalProperties"] = False  # unknown arguments are refused
        return types.Tool(
            name=self.name,
            description=self.description,
            input_schema=schema,
            output_schema=self.output_model.model_json_schema(mode="serialization"),
            annotations=_READ_ONLY,
        )

    def arguments(self, given: dict[str, Any] | None) -> BaseModel:
        """The arguments as the input model (ArgumentsError naming every problem)."""
        given = given or {}
        fields = self.input_model.model_fields
        known = set(fields) | {info.alias for info in fields.values() if info.alias}
        unknown = sorted(set(given) - known)
        if unknown:
            takes = ", ".join(sorted(fields)) or "no arguments"
            names = ", ".join(inert_text(str(name)) for name in unknown)
            raise ArgumentsError(f"{self.name}: unknown argument {names} (it takes: {takes})")
        try:
            return self.input_model.model_validate(given)
        except ValidationError as error:
            raise ArgumentsError(f"{self.name}: {validation_problems(error)}") from None


def validation_problems(error: ValidationError) -> str:
    """Each field that does not fit and why, `field: message; ...` (values never repeated)."""
    problems = error.errors(include_input=False, include_url=False)
    parts = []
    for problem in problems[:_MAX_PROBLEMS]:
        where = ".".join(str(part) for part in problem.get("loc", ()))
        parts.append(f"{where or 'arguments'}: {problem.get('msg', 'invalid')}")
    more = len(problems) - _MAX_PROBLEMS
    suffix = f" (and {more} more)" if more > 0 else ""
    return inert_text("; ".join(parts) + suffix)


def answer_text(answer: Answer) -> str:
    """The Answer for a person or a model to read: the markdown, then each citation (labels
    and ids inert), then what was not applied."""
    lines = [answer.answer.rstrip()]
    if answer.citations:
        lines += ["", "Sources:"]
        lines += [
            f"[{c.n}] {c.kind} {inert_text(c.id)}: {inert_text(c.label)}" for c in answer.citations
        ]
    if answer.limits:
        lines += ["", f"Limits: {inert_text(answer.limits)}"]
    return "\n".join(lines)


def answer_result(answer: Answer) -> types.CallToolResult:
    """A tool result carrying the Answer: its text with citations, the Answer JSON (invisible
    characters \\u-escaped) as text, and the Answer as structured content."""
    return types.CallToolResult(
        content=[
            types.TextContent(text=answer_text(answer)),
            types.TextContent(text=answer.to_json(indent=None)),
        ],
        structured_content=answer.model_dump(mode="json"),
    )


def error_result(code: str, message: str, **details: Any) -> types.CallToolResult:
    """A refused call: `is_error`, the message as text, the API's error document as
    structured content."""
    document = error_document(code, message, **details)
    return types.CallToolResult(
        content=[types.TextContent(text=f"{code}: {inert_text(message)}")],
        structured_content=document,
        is_error=True,
    )


@dataclass(frozen=True)
class Outcome:
    """What a call gave: the result, and the answer id and status the audit trail keeps."""

    result: types.CallToolResult
    answer_id: str | None
    status: str


def answered(answer: Answer) -> Outcome:
    """The outcome of a call answered with `answer`."""
    return Outcome(answer_result(answer), answer.answer_id, answer.status)


def _skill_runner(skill: Skill) -> Runner:
    def run(config: ServerConfig, params: BaseModel) -> Outcome:
        values = params.model_dump(mode="json", exclude_defaults=True)
        with tenant_store(config) as store:
            copilot = copilot_for(store, config)
            return answered(copilot.answer_skill(skill.name, values, asked(skill.name, params)))

    return run


def _ask(config: ServerConfig, params: BaseModel) -> Outcome:
    assert isinstance(params, AskInput)
    with tenant_store(config) as store:
        return answered(copilot_for(store, config).ask(params.prompt))


def _kql(config: ServerConfig, params: BaseModel) -> Outcome:
    assert isinstance(params, KqlInput)
    if params.remote is not None:
        return _rows_outcome(_remote_kql(params))
    with tenant_store(config) as store:
        result = run_kql(store, params.query, limit=params.limit)
    return _rows_outcome(
        KqlResponse(
            columns=result.columns,
            types=result.types,
            rows=result.records(),
            row_count=result.row_count,
            truncated=result.truncated,
        )
    )


def _kql_needs(params: BaseModel) -> tuple[Role, str]:
    """A local query is a reader's; a remote one an admin's, audited apart."""
    if isinstance(params, KqlInput) and params.remote is not None:
        return REMOTE_KQL_ROLE, "mcp_kql_remote"
    return TOOL_ROLE, "mcp_kql"


def _remote_kql(params: KqlInput) -> RemoteKqlResponse:
    """The query run unchanged where the server's settings say, signed in as the server."""
    from idpilot.api.routes.remote_kql import remote_rows

    assert params.remote is not None
    return remote_rows(params.remote, params.query, params.limit, params.timespan)


def _rows_outcome(rows: KqlResponse) -> Outcome:
    text = json_text(rows)
    content = [types.TextContent(text=text)]
    return Outcome(
        types.CallToolResult(content=content, structured_content=orjson.loads(text)), None, "ok"
    )


def asked(name: str, params: BaseModel) -> str:
    """What a call asked, as the audit trail keeps it: the prompt, the query, or the skill and
    its arguments."""
    if isinstance(params, AskInput):
        return params.prompt
    if isinstance(params, KqlInput):
        return params.query
    return f"{name} {json_text(params.model_dump(mode='json', exclude_defaults=True))}"


def refusal(error: IdpilotError) -> tuple[str, str, int | None]:
    """The stable code (the REST API's), the message and any seconds to wait for an error
    meant for the caller."""
    if isinstance(error, RoleError):
        return "forbidden", str(error), None
    mapped = from_idpilot_error(error)
    retry = mapped.headers.get("Retry-After")
    return mapped.code, mapped.message, int(retry) if retry else None


def _tools() -> Iterator[McpTool]:
    yield McpTool(
        ASK,
        "Answer a question about the Entra ID tenant in plain language: the grounded Answer, "
        "every fact cited to a record of the snapshot.",
        AskInput,
        Answer,
        _ask,
        action="mcp_ask",
    )
    yield McpTool(
        KQL,
        "Run a read-only KQL query over the tenant's Log Analytics views (the same sandbox as "
        "`idpilot kql`), or with `remote` unchanged in the server's Log Analytics workspace or "
        "Azure Data Explorer database (admin only): columns, types and rows.",
        KqlInput,
        KqlResponse,
        _kql,
        action="mcp_kql",
        needs=_kql_needs,
    )
    for skill in default_registry().all():
        if skill.name in (ASK, KQL):
            continue  # a plugin cannot shadow the built-in tools
        yield McpTool(
            skill.name, skill.description, skill.input_model, Answer, _skill_runner(skill)
        )


class Toolbox:
    """The tools one server offers, by name (the skills are read once, at start)."""

    def __init__(self) -> None:
        self.tools = {tool.name: tool for tool in _tools()}
        self._listed = [tool.listed() for tool in self.tools.values()]

    def listed(self) -> list[types.Tool]:
        """Every tool as `tools/list` shows it."""
        return list(self._listed)

    def get(self, name: str) -> McpTool:
        """The tool called `name` (UnknownToolError when there is none)."""
        tool = self.tools.get(name)
        if tool is None:
            raise UnknownToolError(
                f"no tool is called {inert_text(name)!r} (tools/list gives the {len(self.tools)} "
                "tools)"
            )
        return tool

    def call(
        self,
        config: ServerConfig,
        caller: McpCaller,
        tool: McpTool,
        arguments: dict[str, Any] | None,
    ) -> types.CallToolResult:
        """Run `tool` for `caller`; a refusal is a result with `is_error`, never a traceback."""
        try:
            params = tool.arguments(arguments)
        except ArgumentsError as error:
            return error_result("invalid_arguments", str(error))
        prompt = asked(tool.name, params)
        role, action = tool.role_and_action(params)
        try:
            admit(config, caller, role)
            outcome = tool.run(config, params)
        except IdpilotError as error:
            code, message, retry_after = refusal(error)
            record(config, caller, action, prompt, None, code)
            return error_result(code, message, retry_after=retry_after)
        record(config, caller, action, prompt, outcome.answer_id, outcome.status)
        return outcome.result
