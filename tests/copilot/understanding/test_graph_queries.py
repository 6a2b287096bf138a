"""A Graph read said in PowerShell or REST is read as the question it asks; any other script
stays a script."""

from __future__ import annotations

import pytest

from idpilot.copilot.understanding.graph_queries import query_in_words


@pytest.mark.parametrize(
    ("prompt", "words"),
    [
        (
            'Get-MgUser -Filter "accountEnabled eq false" -All -- what would that return here?',
            "list the disabled users -- what would that return here?",
        ),
        (
            "GET /auditLogs/signIns?$filter=status/errorCode eq 50053, last 7 days. Who?",
            "list the sign-ins that failed with error 50053, last 7 days. Who?",
        ),
        (
            "Get-MgApplication -All | Where-Object { $_.PasswordCredentials.EndDateTime -lt "
            "(Get-Date) } -- which would that list?",
            "list the app registrations with an expired client secret -- which would that list?",
        ),
        (
            "Get-MgDirectoryRoleMember for GA -- who's in it?",
            "list the members of the role GA -- who's in it?",
        ),
        (
            "GET /identityProtection/riskyServicePrincipals -- anything for us?",
            "list the risky workload identities (service principals) -- anything for us?",
        ),
    ],
)
def test_a_graph_read_is_said_in_words(prompt: str, words: str) -> None:
    assert query_in_words(prompt) == words


@pytest.mark.parametrize(
    "prompt",
    [
        "is this safe? Get-MgUser -All | Remove-MgUser",
        "$u = Get-MgUser -All; $u | ForEach-Object { Set-MgUser -UserId $_.Id }",
        "Get-MgUser -Filter \"startswith(displayName,'a')\" -- what does that return?",
        "GET /deviceManagement/managedDevices -- how many?",
        "why did alice fail to sign in this morning?",
    ],
)
def test_anything_but_a_known_graph_read_is_left_as_it_is(prompt: str) -> None:
    assert query_in_words(prompt) is None
