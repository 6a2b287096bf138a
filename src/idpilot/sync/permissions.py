"""What a refused collection means: the missing permission or licence, in one sentence.

Graph answers 403 both when the app lacks a permission (`Authorization_RequestDenied`) and when
the tenant lacks a licence (`Authentication_RequestFromNonPremiumTenantOrB2CTenant`, or a
message about a premium licence); the endpoint table knows which permission and licence the
collection needs, so the sentence names them. The manifest keeps it, the store keeps it, and
answers that read the collection say it.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel

from idpilot.sync.endpoints import Endpoint
from idpilot.sync.graph_errors import GraphErrorBody

_LICENCE_CODES = frozenset({"authentication_requestfromnonpremiumtenantorb2ctenant"})
_LICENCE_WORDS = re.compile(r"licen[cs]e|premium|sku|subscription", re.IGNORECASE)
_PERMISSION_CODES = frozenset({"authorization_requestdenied", "accessdenied", "forbidden"})
_PERMISSION_WORDS = re.compile(r"privilege|permission|role|scope|consent", re.IGNORECASE)


class Cause(StrEnum):
    """Why Graph would not give a collection."""

    permission = "permission"
    licence = "licence"
    permission_or_licence = "permission or licence"
    not_found = "not found"


class Unavailable(BaseModel):
    """A collection the sync could not read, and why (kept in the manifest)."""

    status: int
    code: str = ""
    message: str = ""
    cause: Cause
    permission: str
    licence: str | None = None

    def reason(self) -> str:
        """One sentence for an admin: what Graph said and what would let the sync read it."""
        said = f"Graph answered {self.status}" + (f" {self.code}" if self.code else "")
        licence = f"{self.licence} licence" if self.licence else "premium licence"
        if self.cause is Cause.licence:
            need = f"the tenant needs a {licence}"
        elif self.cause is Cause.permission:
            need = f"the app needs the {self.permission} permission (admin consent)"
        elif self.cause is Cause.not_found:
            need = "the tenant does not offer it"
        else:
            need = f"the app needs the {self.permission} permission" + (
                f" and the tenant a {licence}" if self.licence else ""
            )
        return f"{said}: {need}"


def explain_refusal(endpoint: Endpoint, error: GraphErrorBody) -> Unavailable:
    """The permission or licence a 403 (or the absence a 404) points at."""
    code = error.code.lower()
    licence = endpoint.licence.value if endpoint.licence else None
    if error.status == 404:
        cause = Cause.not_found
    elif code in _LICENCE_CODES or (_LICENCE_WORDS.search(error.message) and licence):
        cause = Cause.licence
    elif code in _PERMISSION_CODES or _PERMISSION_WORDS.search(error.message):
        cause = Cause.permission
    else:
        cause = Cause.permission_or_licence
    return Unavailable(
        status=error.status,
        code=error.code,
        message=error.message,
        cause=cause,
        permission=endpoint.permission,
        licence=licence,
    )
