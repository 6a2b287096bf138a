"""`idpilot whatif --user U | --role R --app A ...`: Conditional Access for a hypothetical sign-in.

With `--role`, the sign-in is evaluated for someone holding the role and for each of its holders.

Names in the result come from the tenant: the text is inert (`idpilot.copilot.inert`) and the
JSON has control, bidi and zero-width characters \\u-escaped. A user or app that names nothing
(or several things) is said on stderr, with exit status 2.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer
from rich.markdown import Markdown

from idpilot.cli._output import print_json, print_sources
from idpilot.cli.app import (
    EXIT_USER_ERROR,
    StoreOption,
    app,
    console,
    err_console,
    open_store,
    user_errors,
)
from idpilot.conditional_access import ClientAppType, DevicePlatform, RiskLevel
from idpilot.copilot.composer import CitationBook, compose
from idpilot.copilot.inert import inert_markdown, inert_text
from idpilot.knowledge.countries import WordKind, country_code, country_word
from idpilot.skills import default_registry
from idpilot.skills.base import ResultStatus

_UNRESOLVED = frozenset({ResultStatus.not_found, ResultStatus.ambiguous})


def named_option(value: str | None) -> str | None:
    """A --user, --role or --app value with its spaces trimmed; a blank one is refused."""
    if value is None:
        return None
    if not value.strip():
        raise typer.BadParameter(
            "nothing given: name one by display name, object id, UPN (users), appId (apps) or "
            "template id (roles)"
        )
    return value.strip()


def ip_option(value: str | None) -> str | None:
    """The --ip value as an IPv4 or IPv6 address; anything else is refused by name."""
    if value is None:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise typer.BadParameter(
            f"{inert_text(value)!r} is not an IPv4 or IPv6 address (e.g. 203.0.113.10)"
        ) from None


def country_option(value: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code of `--country` (a name, code or common alias), or None.

    An unknown value is refused by name, never dropped or read as a code.
    """
    if value is None:
        return None
    code = country_code(value)
    word = country_word(value) if code is None else None
    if word is not None and word.kind is WordKind.region:
        raise typer.BadParameter(
            f"{inert_text(value)!r} is a region, not one country: name one country "
            "('France') or its ISO 3166 code ('FR')",
            param_hint="'--country'",
        )
    if code is None:
        raise typer.BadParameter(
            f"{inert_text(value)!r} is not a country idpilot knows: give a name ('France', "
            "'the UK', 'Deutschland') or an ISO 3166 code ('FR', 'GBR')",
            param_hint="'--country'",
        )
    return code


@app.command()
@user_errors
def whatif(
    user: Annotated[
        str | None,
        typer.Option(
            "--user", help="User: id, UPN or display name (or give --role).", callback=named_option
        ),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(
            "--role",
            help="Directory role (name, id or template id) instead of a user: the sign-in of "
            "each of its holders, and of someone holding it.",
            callback=named_option,
        ),
    ] = None,
    app_name: Annotated[
        str | None,
        typer.Option("--app", help="Application: display name or appId.", callback=named_option),
    ] = None,
    platform: Annotated[
        DevicePlatform | None, typer.Option(help="Device platform.", case_sensitive=False)
    ] = None,
    ip: Annotated[
        str | None,
        typer.Option("--ip", help="IP address signed in from (IPv4 or IPv6).", callback=ip_option),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            help="Country signed in from: a name, alias or ISO code (France, the UK, FR).",
            callback=country_option,
        ),
    ] = None,
    client_app: Annotated[
        ClientAppType | None,
        typer.Option("--client-app", help="Client app type.", case_sensitive=False),
    ] = None,
    device_compliant: Annotated[
        bool | None,
        typer.Option("--device-compliant/--no-device-compliant", help="Device compliance."),
    ] = None,
    sign_in_risk: Annotated[
        RiskLevel | None, typer.Option("--sign-in-risk", case_sensitive=False)
    ] = None,
    user_risk: Annotated[
        RiskLevel | None, typer.Option("--user-risk", case_sensitive=False)
    ] = None,
    mfa: Annotated[bool, typer.Option("--mfa", help="The user has completed MFA.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the skill result.")] = False,
    store: StoreOption = None,
) -> None:
    """Which policies apply to this sign-in and the outcome, from the snapshot alone."""
    if (user is None) == (role is None):
        raise typer.BadParameter(
            "name exactly one: --user (whose sign-in) or --role (the sign-in of its holders)",
            param_hint="'--user' / '--role'",
        )
    params = {
        "user": user,
        "role": role,
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
    unresolved = result.status in _UNRESOLVED
    if as_json:
        print_json(result)
    else:
        book = CitationBook(result.evidence)
        text = Markdown(inert_markdown(compose(result, book)))
        (err_console if unresolved else console).print(text)
        print_sources(book.citations())
    if unresolved:
        raise typer.Exit(EXIT_USER_ERROR)
