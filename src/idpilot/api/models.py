"""The API's request and response bodies (answers are `idpilot.copilot.answer.Answer`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from idpilot.actions import ProposalKind
from idpilot.copilot.promptbooks import MAX_PARAMETER_CHARS, Parameter, Promptbook, Step
from idpilot.kql.remote.services import RemoteService
from idpilot.state.feedback import (
    MAX_ANSWER_ID_CHARS,
    MAX_COMMENT_CHARS,
    FeedbackCategory,
    Rating,
)
from idpilot.state.roles import Role
from idpilot.state.sessions import MAX_SESSION_ID_CHARS, MAX_TITLE_CHARS

MAX_KQL_CHARS = 20_000
MAX_KQL_ROWS = 10_000
DEFAULT_KQL_ROWS = 1_000


class Strict(BaseModel):
    """A request body: unknown fields are refused, so a misspelt one is never ignored."""

    model_config = ConfigDict(extra="forbid")


class AskRequest(Strict):
    """A question about the tenant, alone or within one of the caller's sessions."""

    prompt: str = Field(min_length=1, description="The question, in plain language.")
    session_id: str | None = Field(
        None,
        max_length=MAX_SESSION_ID_CHARS,
        description="A session of the caller's (POST /api/sessions): follow-ups may then say "
        "'he', 'that group' or 'and yesterday?' about its earlier turns.",
    )


class SessionRequest(Strict):
    """A session to begin; the title is optional."""

    title: str | None = Field(None, max_length=MAX_TITLE_CHARS)


class KqlRequest(Strict):
    """A KQL query over the Log Analytics views."""

    query: str = Field(min_length=1, max_length=MAX_KQL_CHARS)
    limit: int = Field(DEFAULT_KQL_ROWS, ge=0, le=MAX_KQL_ROWS)


class KqlResponse(BaseModel):
    """A KQL result: columns, their DuckDB types, rows as objects, whether rows were cut."""

    columns: list[str]
    types: list[str]
    rows: list[dict[str, Any]]
    row_count: int
    truncated: bool


class RemoteKqlRequest(KqlRequest):
    """A KQL query sent unchanged to the server's Log Analytics workspace (`la`) or Azure Data
    Explorer database (`adx`), as its settings name them; `timespan` for `la` only."""

    service: RemoteService
    timespan: str | None = Field(None, max_length=100)


class RemoteKqlResponse(KqlResponse):
    """A remote KQL result: types are Kusto's; `ran_in` names the workspace or database;
    `partial` is the service's error when it could return only some rows."""

    ran_in: str
    partial: str | None = None


class Health(BaseModel):
    """The server is up."""

    status: str = "ok"
    version: str


class SkillInfo(BaseModel):
    """A skill: its name, what it answers and the JSON schema of its inputs."""

    name: str
    description: str
    inputs: dict[str, Any]


class PromptInfo(BaseModel):
    """A built-in prompt and the placeholders a client fills (`user`, `group` ...)."""

    id: str
    title: str
    prompt: str
    skill: str
    inputs: list[str]


class SignInPage(BaseModel):
    """One page of sign-ins, newest first, as evidence records (`{kind, id, fields}`)."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    next_offset: int | None


class Me(BaseModel):
    """The caller: user, role, token, and today's use of the quota."""

    user: str
    role: Role
    token_id: str
    units_used_today: int
    units_per_day: int


class TokenRequest(Strict):
    """A token to create."""

    user: str = Field(min_length=1, max_length=100)
    role: Role
    expires: str | None = Field(None, description="A duration: 30d, 12h, 2w, 90m; none: never.")


class TokenInfo(BaseModel):
    """A token without its secret."""

    id: str
    user: str
    role: Role
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    state: str


class TokenCreated(TokenInfo):
    """A token just created, with its secret: shown this once, stored only as a hash."""

    secret: str


class UsageRow(BaseModel):
    """Units one user used on one UTC day."""

    user: str
    day: date
    units: int


class AuditRow(BaseModel):
    """One event of the audit trail."""

    id: str
    at: datetime
    user: str
    token_id: str | None
    role: str | None
    action: str
    prompt: str | None
    answer_id: str | None
    proposal_id: str | None
    status: str | None


class ProposalRequest(Strict):
    """A remediation to prepare for a user (never executed)."""

    kind: ProposalKind
    user: str = Field(min_length=1, description="Object id, UPN or display name.")
    reason: str = Field("", max_length=2_000)


class ProposalRecord(BaseModel):
    """A prepared proposal: who prepared it and when, and the exact Graph request."""

    id: str
    created_at: datetime
    user: str
    proposal: dict[str, Any]


class FeedbackRequest(Strict):
    """Feedback on an answer: up, or down with a category; an optional comment."""

    answer_id: str = Field(
        min_length=1, max_length=MAX_ANSWER_ID_CHARS, description="The Answer's `answer_id`."
    )
    rating: Rating
    category: FeedbackCategory | None = Field(
        None, description="Required for down, absent (null) for up."
    )
    comment: str | None = Field(None, max_length=MAX_COMMENT_CHARS)


class PromptbookInfo(BaseModel):
    """A promptbook as the API lists it: its parameters, and its steps with their ids."""

    name: str
    title: str
    description: str
    parameters: list[Parameter]
    steps: list[Step]

    @classmethod
    def of(cls, book: Promptbook) -> PromptbookInfo:
        """The listing of `book` (every step with its id, `step<n>` where it has none)."""
        steps = [
            step.model_copy(update={"id": step_id})
            for step_id, step in zip(book.step_ids(), book.steps, strict=True)
        ]
        return cls(
            name=book.name,
            title=book.title,
            description=book.description,
            parameters=book.parameters,
            steps=steps,
        )


class PromptbookRunRequest(Strict):
    """A promptbook run: its parameters, and optionally a session of the caller's to run in."""

    parameters: dict[str, Annotated[str, Field(max_length=MAX_PARAMETER_CHARS)]] = Field(
        default_factory=dict, max_length=20
    )
    session_id: str | None = Field(None, max_length=MAX_SESSION_ID_CHARS)
