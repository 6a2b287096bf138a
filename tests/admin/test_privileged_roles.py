"""The privileged role list: the ids the issue names are present, ids are well-formed."""

import re

from idpilot.knowledge.privileged_roles import (
    PRIVILEGED_ROLES,
    PRIVILEGED_ROLES_VERSION,
    PrivilegeTier,
    is_privileged,
    privileged_role,
    privileged_template_ids,
)

_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def test_required_roles_are_privileged():
    for template_id in [
        "62e90394-69f5-4237-9190-012177145e10",
        "e8611ab8-c189-46e8-94e1-60213ab1f814",
        "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
        "194ae4cb-b126-40b2-bd5b-6091b380977d",
        "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
        "29232cdf-9323-42fd-ade2-1d097af3e4de",
        "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
        "fe930be7-5e62-47db-91af-98c3a49a38b1",
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
        "158c047a-c907-4556-b7ef-446551a6b5f7",
        "c4e39bd9-1100-46d3-8c65-fb160da0071f",
        "729827e3-9c14-49f7-bb1b-9608f156bbb8",
        "3a2c62db-5318-420d-8d74-23affee5d9d5",
        "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
    ]:
        assert is_privileged(template_id)
        assert is_privileged(template_id.upper())


def test_entries_are_well_formed():
    assert PRIVILEGED_ROLES_VERSION
    names = set()
    for template_id, role in PRIVILEGED_ROLES.items():
        assert _GUID.match(template_id)
        assert role.template_id == template_id
        assert role.why.endswith(".")
        names.add(role.display_name)
    assert len(names) == len(PRIVILEGED_ROLES)


def test_not_privileged():
    assert not is_privileged(None)
    assert not is_privileged("")
    assert not is_privileged("88d8e3e3-8f55-4a1e-953a-9b9898b8876b")  # Directory Readers
    assert privileged_role("nope") is None


def test_tiers():
    tenant = privileged_template_ids(PrivilegeTier.tenant)
    assert "62e90394-69f5-4237-9190-012177145e10" in tenant
    assert "29232cdf-9323-42fd-ade2-1d097af3e4de" not in tenant
    assert len(privileged_template_ids()) == len(PRIVILEGED_ROLES)
