"""`idpilot whatif --user U --app A ...`: Conditional Access for a hypothetical sign-in."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer
from rich.markdown import Markdown

from idpilot.cli.app import StoreOption, app, console, open_store, user_errors
from idpilot.cli.ask import shown_text
from idpilot.conditional_access import ClientAppType, DevicePlatform, RiskLevel
from idpilot.copilot.composer import CitationBook, compose
from idpilot.skills import default_registry


@app.command()
@user_errors
def whatif(
    user: Annotated[str, typer.Option("--user", help="User: id, UPN or display name.")],
    app_name: Annotated[
        str | None, typer.Option("--app", help="Application: display name or appId.")
    ] = None,
    platform: Annotated[DevicePlatform | None, typer.Option(help="Device platform.")] = None,
    ip: Annotated[str | None, typer.Option("--ip", help="IP address signed in from.")] = None,
    country: Annotated[str | None, typer.Option(help="Two-letter country code.")] = None,
    client_app: Annotated[
        ClientAppType | None, typer.Option("--client-app", help="Client app type.")
    ] = None,
    device_compliant: Annotated[
        bool | None,
        typer.Option("--device-compliant/--no-device-compliant", help="Device compliance."),
    ] = None,
    sign_in_risk: Annotated[RiskLevel | None, typer.Option("--sign-in-risk")] = None,
    user_risk: Annotated[RiskLevel | None, typer.Option("--user-risk")] = None,
    mfa: Annotated[bool, typer.Option("--mfa", help="The user has completed MFA.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the skill result.")] = False,
    store: StoreOption = None,
) -> None:
    """Which policies apply to this sign-in and the outcome, from the snapshot alone."""
    params = {
        "user": user,
        "app": app_name,
        "platform": platform,
        "ip_address": ip,
        "country": country,
        "client_app": client_app,
        "device_compliant": device_compliant,
        "sign_in_risk": sign_in_risk,
        "user_risk": user_risk,
        "mfa": mfa,
    }
    with open_store(store) as opened:
        result = default_registry().get("ca_whatif").run(opened, params)
    if as_json:
        typer.echo(orjson.dumps(result.model_dump(mode="json"), option=orjson.OPT_INDENT_2))
        return
    book = CitationBook(result.evidence)
    console.print(Markdown(compose(result, book)))
    if book.citations():
        console.print("\n[bold]Sources[/]")
        for citation in book.citations():
            console.print(
                f"  [{citation.n}] {citation.kind} {citation.id}: {shown_text(citation.label)}",
                highlight=False,
                markup=False,
            )
