"""Entra ID v2.0 access tokens checked against a tenant served on loopback: what is accepted,
the role each maps to, and each documented check that refuses a token."""

from __future__ import annotations

import hmac
import json
from datetime import timedelta
from hashlib import sha256

import pytest
from cryptography.hazmat.primitives import serialization

from idpilot.api.entra.errors import IdentityProviderError, UnmappedRoleError
from idpilot.api.entra.keys import SigningKeys
from idpilot.api.entra.verify import EntraSignIn, looks_like_jwt
from idpilot.state.roles import Role
from idpilot.state.tokens import TokenError, TokenProblem
from tests.api.entra.issuer import (
    CLIENT_ID,
    OPERATORS_GROUP,
    OTHER_TENANT_ID,
    FakeTenant,
    b64url,
    new_key,
    unsigned,
)
from tests.api.served import NOW


def refusal(sign_in: EntraSignIn, token: str, now=NOW) -> TokenError:
    """The TokenError a token is refused with."""
    with pytest.raises(TokenError) as raised:
        sign_in.verify(token, now)
    return raised.value


@pytest.mark.parametrize(
    ("roles", "groups", "expected"),
    [
        (["idpilot.Reader"], None, Role.reader),
        (["idpilot.Operator"], None, Role.operator),
        (["idpilot.Admin"], None, Role.admin),
        (["idpilot.Reader", "idpilot.Admin"], None, Role.admin),
        (None, [OPERATORS_GROUP.upper()], Role.operator),
        (["idpilot.Reader", "Unrelated.Role"], [OPERATORS_GROUP], Role.operator),
    ],
)
def test_app_roles_and_groups_map_to_the_highest_role(
    tenant: FakeTenant, roles: list[str] | None, groups: list[str] | None, expected: Role
) -> None:
    identity = tenant.sign_in().verify(tenant.token(roles=roles, groups=groups), NOW)
    assert identity.role is expected
    assert identity.name == "abeli@contoso.com"
    assert identity.token_id == "entra:690222be-ff1a-4d56-abd1-7e4f7d38e474"


def test_the_name_falls_back_to_upn_then_the_object_id(tenant: FakeTenant) -> None:
    sign_in = tenant.sign_in()
    upn = tenant.token(preferred_username=None, upn="abe@contoso.com")
    assert sign_in.verify(upn, NOW).name == "abe@contoso.com"
    bare = tenant.token(preferred_username=None)
    assert sign_in.verify(bare, NOW).name == "690222be-ff1a-4d56-abd1-7e4f7d38e474"


def test_an_application_token_with_an_app_role_is_accepted(tenant: FakeTenant) -> None:
    app = tenant.token(
        scp=None, preferred_username=None, name=None, roles=["idpilot.Reader"], idtyp="app"
    )
    assert tenant.sign_in().verify(app, NOW).role is Role.reader


def test_a_token_without_a_mapped_role_is_unmapped(tenant: FakeTenant) -> None:
    with pytest.raises(UnmappedRoleError, match=r"abeli@contoso\.com"):
        tenant.sign_in().verify(tenant.token(roles=["Unrelated.Role"]), NOW)


def test_a_groups_overage_is_named_when_no_role_maps(tenant: FakeTenant) -> None:
    token = tenant.token(
        roles=None,
        _claim_names={"groups": "src1"},
        _claim_sources={"src1": {"endpoint": "https://graph.windows.net/x/getMemberObjects"}},
    )
    with pytest.raises(UnmappedRoleError, match="too many"):
        tenant.sign_in().verify(token, NOW)


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"aud": "00000003-0000-0000-c000-000000000000"}, "not meant for this API"),
        ({"aud": f"api://{CLIENT_ID}"}, "not meant for this API"),
        ({"iss": f"https://login.microsoftonline.com/{OTHER_TENANT_ID}/v2.0"}, "not issued by"),
        ({"iss": "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/"}, "not issued"),
        ({"tid": OTHER_TENANT_ID}, "another tenant"),
        ({"ver": "1.0"}, "not a v2.0 token"),
        ({"azp": None}, "lacks the 'azp' claim"),
        ({"oid": None}, "lacks the 'oid' claim"),
        ({"exp": None}, "lacks the 'exp' claim"),
        ({"nonce": "abc", "scp": None}, "ID token"),
        ({"scp": "User.Read"}, "'access_as_user' scope"),
        ({"scp": None, "roles": None}, "neither a delegated scope nor app roles"),
    ],
)
def test_documented_checks_refuse_the_token(
    tenant: FakeTenant, changes: dict[str, object], says: str
) -> None:
    error = refusal(tenant.sign_in(), tenant.token(**changes))
    assert error.problem is TokenProblem.invalid
    assert says in str(error)


def test_an_expired_token_is_refused_beyond_the_clock_skew(tenant: FakeTenant) -> None:
    sign_in = tenant.sign_in(clock_skew_seconds=300)
    token = tenant.token(exp=int(NOW.timestamp()) - 200)
    assert sign_in.verify(token, NOW).role is Role.reader
    late = NOW + timedelta(seconds=101)
    assert refusal(sign_in, token, late).problem is TokenProblem.expired


def test_a_token_not_yet_valid_is_refused_beyond_the_clock_skew(tenant: FakeTenant) -> None:
    sign_in = tenant.sign_in(clock_skew_seconds=60)
    token = tenant.token(nbf=int(NOW.timestamp()) + 59)
    assert sign_in.verify(token, NOW).role is Role.reader
    early = tenant.token(nbf=int(NOW.timestamp()) + 61)
    assert "not valid yet" in str(refusal(sign_in, early))


def test_an_unknown_key_is_looked_up_again_after_a_rollover(tenant: FakeTenant) -> None:
    sign_in = tenant.sign_in()
    first = tenant.token()
    assert sign_in.verify(first, NOW).role is Role.reader
    assert sign_in.keys.fetches == 1
    assert sign_in.verify(tenant.token(), NOW).role is Role.reader
    assert sign_in.keys.fetches == 1, "known keys are not read again"
    tenant.rotate()
    assert sign_in.verify(tenant.token(), NOW).role is Role.reader
    assert sign_in.keys.fetches == 2
    assert "not one the tenant publishes" in str(refusal(sign_in, first))


def test_unknown_key_ids_do_not_make_the_server_read_the_keys_each_time(
    tenant: FakeTenant,
) -> None:
    ticks = [0.0]
    config = tenant.config()
    keys = SigningKeys(
        config.metadata_url, config.issuer, config.tenant_id, monotonic=lambda: ticks[0]
    )
    sign_in = EntraSignIn(config, keys)
    assert sign_in.verify(tenant.token(), NOW).role is Role.reader
    stranger = FakeTenant(base_url=tenant.base_url)
    stranger.add_key()
    forged = stranger.token()
    for _ in range(5):
        refusal(sign_in, forged)
    assert keys.fetches == 1
    ticks[0] = 61.0
    refusal(sign_in, forged)
    assert keys.fetches == 2
    ticks[0] = 24 * 3600 + 62.0
    assert sign_in.verify(tenant.token(), NOW).role is Role.reader
    assert keys.fetches == 3, "keys a day old are read again"


def test_a_key_published_for_another_issuer_is_not_used(tenant: FakeTenant) -> None:
    tenant.key_issuer = f"{{authority}}/{OTHER_TENANT_ID}/v2.0"
    assert "not one the tenant publishes" in str(refusal(tenant.sign_in(), tenant.token()))


def test_a_token_signed_by_a_key_of_another_party_with_a_known_kid_is_refused(
    tenant: FakeTenant,
) -> None:
    kid = next(iter(tenant.keys))
    forger = FakeTenant(base_url=tenant.base_url, keys={kid: new_key()})
    assert "signature does not verify" in str(refusal(tenant.sign_in(), forger.token(kid)))


def test_alg_none_is_refused(tenant: FakeTenant) -> None:
    kid = next(iter(tenant.keys))
    token = unsigned(tenant.claims(), {"alg": "none", "typ": "JWT", "kid": kid})
    assert "only RS256" in str(refusal(tenant.sign_in(), token))


def test_hs256_signed_with_the_public_key_is_refused(tenant: FakeTenant) -> None:
    kid, key = next(iter(tenant.keys.items()))
    secret = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    body = b64url(json.dumps(tenant.claims()).encode())
    mac = hmac.new(secret, f"{header}.{body}".encode(), sha256).digest()
    token = f"{header}.{body}.{b64url(mac)}"
    assert "only RS256" in str(refusal(tenant.sign_in(), token))


def test_a_malformed_token_is_refused(tenant: FakeTenant) -> None:
    assert "well-formed" in str(refusal(tenant.sign_in(), "eyJhbGciOi.x.y"))


def test_metadata_that_cannot_be_read_is_an_identity_provider_error(
    tenant: FakeTenant,
) -> None:
    sign_in = tenant.sign_in(tenant_id=OTHER_TENANT_ID)
    with pytest.raises(IdentityProviderError, match="cannot read"):
        sign_in.verify(tenant.token(), NOW)


def test_metadata_naming_another_issuer_is_an_identity_provider_error(
    tenant: FakeTenant,
) -> None:
    sign_in = tenant.sign_in(authority=tenant.base_url.replace("127.0.0.1", "localhost"))
    with pytest.raises(IdentityProviderError, match="names the issuer"):
        sign_in.verify(tenant.token(), NOW)


def test_only_jwt_shaped_secrets_are_treated_as_entra_tokens(tenant: FakeTenant) -> None:
    assert looks_like_jwt(tenant.token())
    assert not looks_like_jwt("idp_" + "a" * 43)
    assert not looks_like_jwt("eyJ.only-two")
