"""What a newcomer types at `whatif` and `ca replay` (issue #8, item 8): countries by name, and a
precise message with exit status 2, never a traceback, for what names nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from idpilot.cli.app import app
from tests.security.builder import TenantBuilder

FRENCH_BLOCK = "Block sign-ins from France"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tenant whose only policy blocks sign-ins from France (a country named location)."""
    tenant = TenantBuilder()
    tenant.user("Ada Keller")
    tenant.user("Sam Twin", userPrincipalName="sam.one@contoso.test")
    tenant.user("Sam Twin", userPrincipalName="sam.two@contoso.test", id=tenant.id("sam-2"))
    tenant.service_principal("Payroll Portal")
    france = tenant.add(
        "namedLocations",
        {
            "@odata.type": "#microsoft.graph.countryNamedLocation",
            "id": tenant.id("loc:france"),
            "displayName": "France",
            "countriesAndRegions": ["FR"],
            "includeUnknownCountriesAndRegions": False,
            "countryLookupMethod": "clientIpAddress",
        },
    )
    tenant.policy(
        FRENCH_BLOCK,
        controls=["block"],
        locations={"includeLocations": [france["id"]], "excludeLocations": []},
    )
    folder = tenant.write(tmp_path_factory.mktemp("newcomer") / "snapshot")
    path = folder.parent / "store.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(folder), "--store", str(path), "-q"])
    assert result.exit_code == 0, result.output
    return path


def _whatif(store: Path, *args: str) -> Result:
    return CliRunner().invoke(
        app, ["whatif", "--user", "Ada Keller", *args, "--json", "--store", str(store)]
    )


# -- --country ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [("France", "FR"), ("fr", "FR"), ("FRA", "FR"), ("the UK", "GB"), ("Deutschland", "DE")],
)
def test_country_is_read_as_a_name_code_or_alias(store_path: Path, typed: str, code: str) -> None:
    result = _whatif(store_path, "--country", typed)
    assert result.exit_code == 0, result.output
    facts = json.loads(result.output)["facts"]
    assert facts["scenario"]["country"] == code
    blocked = facts["decided"]["outcome"] == "blocked"
    assert blocked is (code == "FR"), facts["decided"]


@pytest.mark.parametrize("typed", ["Narnia", "XX", ""])
def test_an_unknown_country_is_refused_by_name(store_path: Path, typed: str) -> None:
    result = CliRunner().invoke(
        app, ["whatif", "--user", "Ada Keller", "--country", typed, "--store", str(store_path)]
    )
    assert result.exit_code == 2
    assert f"'{typed}' is not a country" in result.output
    assert "Traceback" not in result.output


def test_a_region_is_not_taken_for_a_country(store_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["whatif", "--user", "Ada Keller", "--country", "Europe", "--store", str(store_path)]
    )
    assert result.exit_code == 2
    assert "'Europe' is a region, not one country" in result.output


def test_unknown_country_under_json_is_a_json_error(store_path: Path) -> None:
    result = _whatif(store_path, "--country", "Narnia")
    assert result.exit_code == 2
    error = json.loads(result.output)["error"]
    assert error["code"] == "usage" and "'Narnia' is not a country" in error["message"]


# -- users, apps and addresses that name nothing -----------------------------------------------


def test_unknown_user_exits_2_with_the_name_on_stderr(store_path: Path) -> None:
    result = CliRunner().invoke(app, ["whatif", "--user", "Nobody", "--store", str(store_path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert 'could not find a user matching "Nobody"' in result.stderr


def test_unknown_user_under_json_is_the_not_found_result(store_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["whatif", "--user", "Nobody", "--json", "--store", str(store_path)]
    )
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert (document["status"], document["query"]) == ("notFound", "Nobody")


def test_unknown_app_names_the_application(store_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["whatif", "--user", "Ada Keller", "--app", "Nope", "--store", str(store_path)]
    )
    assert result.exit_code == 2
    assert 'could not find an application matching "Nope"' in result.stderr
    assert "appId" in result.stderr


def test_ambiguous_user_lists_the_candidates_and_exits_2(store_path: Path) -> None:
    result = CliRunner().invoke(app, ["whatif", "--user", "Sam Twin", "--store", str(store_path)])
    assert result.exit_code == 2
    assert "sam.one@contoso.test" in result.stderr and "sam.two@contoso.test" in result.stderr


@pytest.mark.parametrize("option", ["--user", "--app", "--role"])
def test_a_blank_user_or_app_is_refused(store_path: Path, option: str) -> None:
    args = ["--user", "Ada Keller"] if option == "--app" else []
    result = CliRunner().invoke(app, ["whatif", *args, option, "  ", "--store", str(store_path)])
    assert result.exit_code == 2
    assert f"Invalid value for '{option}': nothing given" in result.output


@pytest.mark.parametrize("typed", ["notanip", "999.1.1.1", "10.0.0.0/8"])
def test_an_ip_that_is_not_an_address_is_refused(store_path: Path, typed: str) -> None:
    result = CliRunner().invoke(
        app, ["whatif", "--user", "Ada Keller", "--ip", typed, "--store", str(store_path)]
    )
    assert result.exit_code == 2
    assert f"'{typed}' is not an IPv4 or IPv6 address" in result.output


def test_an_ipv6_address_is_accepted(store_path: Path) -> None:
    result = _whatif(store_path, "--ip", "2001:db8::1")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["facts"]["scenario"]["ip_address"] == "2001:db8::1"


# -- ca replay ---------------------------------------------------------------------------------


def test_replay_with_no_recorded_results_says_what_to_ingest(store_path: Path) -> None:
    result = CliRunner().invoke(app, ["ca", "replay", "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    assert "Nothing to replay" in result.output
    assert "appliedConditionalAccessPolicies" in result.output
    assert "agreement" not in result.output  # no empty table, no n/a share


@pytest.mark.parametrize("since", ["99999999d", "999999999999w"])
def test_replay_since_before_year_one_is_a_usage_error(store_path: Path, since: str) -> None:
    result = CliRunner().invoke(app, ["ca", "replay", "--since", since, "--store", str(store_path)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"Invalid value for '--since': '{since}' reaches before the year 1" in result.output


def test_replay_since_that_is_not_a_time_names_the_option(store_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["ca", "replay", "--since", "yesterday", "--store", str(store_path)]
    )
    assert result.exit_code == 2
    assert "Invalid value for '--since': 'yesterday' is not a time" in result.output


def test_ca_without_a_subcommand_shows_its_help() -> None:
    result = CliRunner().invoke(app, ["ca"])
    assert "replay" in result.output and "Missing command" not in result.output


# -- kql ---------------------------------------------------------------------------------------


def test_kql_with_no_rows_prints_no_empty_table(store_path: Path) -> None:
    result = CliRunner().invoke(app, ["kql", "SigninLogs", "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "0 rows"


def test_kql_says_when_columns_do_not_fit(store_path: Path) -> None:
    query = "print " + ", ".join(f"c{n} = {n}" for n in range(30))
    result = CliRunner().invoke(app, ["kql", query, "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    assert "30 columns do not fit" in result.output and "project" in result.output


def test_enum_options_ignore_case(store_path: Path) -> None:
    result = _whatif(
        store_path, "--platform", "ios", "--client-app", "BROWSER", "--sign-in-risk", "High"
    )
    assert result.exit_code == 0, result.output
    scenario = json.loads(result.output)["facts"]["scenario"]
    assert (scenario["platform"], scenario["client_app"], scenario["sign_in_risk"]) == (
        "iOS",
        "browser",
        "high",
    )
