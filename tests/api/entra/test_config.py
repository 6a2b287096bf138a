"""Entra ID sign-in settings: off by default, the ids checked, the role map parsed, the
authority https (http on loopback only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from idpilot.api.config import ServerConfig
from idpilot.api.entra.config import EntraConfig, parse_role_map
from idpilot.errors import SettingError
from idpilot.settings import SETTINGS
from idpilot.state.roles import Role
from tests.api.entra.issuer import CLIENT_ID, OPERATORS_GROUP, TENANT_ID


@pytest.fixture
def clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No IDPILOT_ variable set and an empty config file."""
    for setting in SETTINGS:
        monkeypatch.delenv(setting.env, raising=False)
    config = tmp_path / "config.toml"
    config.write_text("")
    monkeypatch.setenv("IDPILOT_CONFIG", str(config))
    return monkeypatch


def test_entra_sign_in_is_off_by_default(clean: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert EntraConfig.from_settings() is None
    assert ServerConfig.from_settings(tmp_path / "store.duckdb").entra is None


def test_the_settings_configure_the_tenant_and_the_api(
    clean: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean.setenv("IDPILOT_ENTRA_TENANT_ID", TENANT_ID.upper())
    clean.setenv("IDPILOT_ENTRA_CLIENT_ID", CLIENT_ID)
    clean.setenv("IDPILOT_ENTRA_ROLES", f"Idp.Viewer=reader, {OPERATORS_GROUP.upper()}=admin")
    config = EntraConfig.from_settings()
    assert config is not None
    assert config.issuer == f"https://login.microsoftonline.com/{TENANT_ID}/v2.0"
    assert config.metadata_url == (
        f"https://login.microsoftonline.com/{TENANT_ID}/v2.0/.well-known/openid-configuration"
    )
    assert config.roles == {"Idp.Viewer": Role.reader, OPERATORS_GROUP: Role.admin}
    assert (config.scope, config.clock_skew_seconds) == ("access_as_user", 300.0)
    served = ServerConfig.from_settings(tmp_path / "store.duckdb")
    assert served.entra is not None and served.entra.config == config


def test_the_default_role_map_names_three_app_roles(clean: pytest.MonkeyPatch) -> None:
    clean.setenv("IDPILOT_ENTRA_TENANT_ID", TENANT_ID)
    clean.setenv("IDPILOT_ENTRA_CLIENT_ID", CLIENT_ID)
    config = EntraConfig.from_settings()
    assert config is not None
    assert config.roles == {
        "idpilot.Reader": Role.reader,
        "idpilot.Operator": Role.operator,
        "idpilot.Admin": Role.admin,
    }


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"IDPILOT_ENTRA_TENANT_ID": "contoso.onmicrosoft.com"}, "IDPILOT_ENTRA_TENANT_ID"),
        ({"IDPILOT_ENTRA_TENANT_ID": TENANT_ID}, "IDPILOT_ENTRA_CLIENT_ID"),
        (
            {"IDPILOT_ENTRA_TENANT_ID": TENANT_ID, "IDPILOT_ENTRA_CLIENT_ID": f"api://{CLIENT_ID}"},
            "IDPILOT_ENTRA_CLIENT_ID",
        ),
        (
            {
                "IDPILOT_ENTRA_TENANT_ID": TENANT_ID,
                "IDPILOT_ENTRA_CLIENT_ID": CLIENT_ID,
                "IDPILOT_ENTRA_AUTHORITY": "http://login.example.com",
            },
            "IDPILOT_ENTRA_AUTHORITY",
        ),
        (
            {
                "IDPILOT_ENTRA_TENANT_ID": TENANT_ID,
                "IDPILOT_ENTRA_CLIENT_ID": CLIENT_ID,
                "IDPILOT_ENTRA_ROLES": "idpilot.Reader=superuser",
            },
            "IDPILOT_ENTRA_ROLES",
        ),
    ],
)
def test_a_wrong_setting_is_named(
    clean: pytest.MonkeyPatch, variables: dict[str, str], named: str
) -> None:
    for name, value in variables.items():
        clean.setenv(name, value)
    with pytest.raises(SettingError, match=named):
        EntraConfig.from_settings()


def test_a_loopback_authority_may_be_http(clean: pytest.MonkeyPatch) -> None:
    clean.setenv("IDPILOT_ENTRA_TENANT_ID", TENANT_ID)
    clean.setenv("IDPILOT_ENTRA_CLIENT_ID", CLIENT_ID)
    clean.setenv("IDPILOT_ENTRA_AUTHORITY", "http://127.0.0.1:8999/")
    config = EntraConfig.from_settings()
    assert config is not None and config.issuer == f"http://127.0.0.1:8999/{TENANT_ID}/v2.0"


@pytest.mark.parametrize("text", ["reader", "=reader", "x=", "x=owner", "a=reader,b"])
def test_a_role_map_pair_that_does_not_parse_is_refused(text: str) -> None:
    with pytest.raises(SettingError, match="VALUE=ROLE"):
        parse_role_map(text)
