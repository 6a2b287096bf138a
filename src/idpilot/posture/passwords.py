"""Password expiration (CISA SCuBA MS.AAD.6.1) over the tenant's domains, and password
protection (CIS 5.2.3.2, 5.2.3.3) and password hash sync (CIS 5.1.8.1) of a hybrid tenant.

CIS numbers and titles are v5.0.0's, from `cis_controls`.
"""

from __future__ import annotations

from idpilot.model.collections import Collection
from idpilot.model.directory import Domain
from idpilot.model.records import Record
from idpilot.model.tenant_policies import GroupSetting
from idpilot.posture.base import (
    Baseline,
    Outcome,
    check,
    failed_if,
    not_applicable,
    passed,
    unknown,
)
from idpilot.posture.cis_controls import cis_control, cis_ids
from idpilot.posture.data import PostureData
from idpilot.posture.tenant_settings import setting_record
from idpilot.security.severity import Severity

DOMAINS = Collection.domains
MANAGED, FEDERATED = "Managed", "Federated"
NEVER_EXPIRES = 2147483647
"""`passwordValidityPeriodInDays` Graph reports for a domain whose passwords never expire."""


@check(
    "IDP-PWD-001",
    "User passwords do not expire",
    Severity.low,
    Baseline.cisa_scuba,
    "MS.AAD.6.1v1 User passwords SHALL NOT expire",
    "Set the password expiration policy to 'never expire' for each managed domain (Microsoft 365 "
    "admin center > Settings > Security & privacy > Password expiration policy).",
    controls=("MS.AAD.6.1v1", *cis_ids("1.3.1")),
)
def passwords_never_expire(data: PostureData) -> Outcome:
    lacking = data.settings.require(DOMAINS)
    if lacking is not None:
        return lacking
    domains: list[Domain] = [d for d in data.settings.all(DOMAINS) if d.is_verified is not False]
    managed = [d for d in domains if d.authentication_type == MANAGED]
    odd = [d.id for d in domains if d.authentication_type not in (MANAGED, FEDERATED)]
    if odd:
        return unknown([f"{DOMAINS.value}[{d}].authenticationType" for d in odd])
    if not managed:
        return not_applicable("no verified managed domain (federated passwords expire at the IdP)")
    undecided = [d.id for d in managed if d.password_validity_period_in_days is None]
    if undecided:
        return unknown([f"{DOMAINS.value}[{d}].passwordValidityPeriodInDays" for d in undecided])
    records = [
        setting_record(DOMAINS, d, _validity(d.password_validity_period_in_days),
                       {"passwordValidityPeriodInDays": d.password_validity_period_in_days},
                       label=d.id)
        for d in managed
    ]  # fmt: skip
    expiring = [r for r, d in zip(records, managed, strict=True)
                if d.password_validity_period_in_days != NEVER_EXPIRES]  # fmt: skip
    if expiring:
        return failed_if(expiring, f"passwords expire on {len(expiring)} domain(s)")
    return passed("passwords never expire on any managed domain", records)


def _validity(days: int | None) -> str:
    return "never expire" if days == NEVER_EXPIRES else f"expire after {days} days"


GROUP_SETTINGS = Collection.group_settings
PASSWORD_RULES_TEMPLATE = "5cf42378-d67d-4f36-ba46-e8b86229381d"
"""The "Password Rule Settings" directory setting template (banned passwords, smart lockout)."""
PASSWORD_RULE_DEFAULTS = {
    "EnableBannedPasswordCheck": "True",
    "BannedPasswordList": "",
    "EnableBannedPasswordCheckOnPremises": "False",
    "BannedPasswordCheckOnPremisesMode": "Audit",
}
"""The template's published defaults: what a tenant that never created the object has."""
ENFORCE = "enforce"
PASSWORD_SYNC = "onPremisesSynchronization (features.passwordSyncEnabled)"
"""Where Graph says whether password hash sync is on; a snapshot does not carry it."""


def synced_users(data: PostureData) -> list[str]:
    """Users synchronised from an on-premises directory: the tenant is hybrid when any is."""
    return sorted(uid for uid, user in data.users.items() if user.get("onPremisesSyncEnabled"))


def _password_rules(data: PostureData) -> tuple[GroupSetting | None, dict[str, str]] | Outcome:
    """The Password Rule Settings object (None when the tenant never created one) and its
    values, the template's defaults filling what it does not set."""
    lacking = data.settings.require(GROUP_SETTINGS)
    if lacking is not None:
        return lacking
    setting = next(
        (s for s in data.settings.all(GROUP_SETTINGS)
         if (s.template_id or "").lower() == PASSWORD_RULES_TEMPLATE),
        None,
    )  # fmt: skip
    values = dict(PASSWORD_RULE_DEFAULTS)
    for name in PASSWORD_RULE_DEFAULTS:
        found = setting.value(name) if setting is not None else None
        if found is not None:
            values[name] = found
    return setting, values


def _rules_record(setting: GroupSetting | None, detail: str, fields: dict[str, str]) -> Record:
    if setting is None:  # nothing to point at but the tenant, which keeps the defaults
        return Record(kind="tenant", id="tenant", label="tenant",
                      detail=f"Password Rule Settings never created (template defaults): {detail}",
                      fields=fields)  # fmt: skip
    return setting_record(GROUP_SETTINGS, setting, detail, fields, label="Password Rule Settings")


@check(
    "IDP-PWD-002",
    "A custom banned password list is enforced",
    Severity.medium,
    Baseline.cis,
    cis_control("5.2.3.2"),
    "In Authentication methods > Password protection, set 'Enforce custom list' to Yes and list "
    "the organisation's own words (brand, products, places).",
    controls=cis_ids("5.2.3.2"),
)
def custom_banned_passwords(data: PostureData) -> Outcome:
    """Enforced and not empty; a tenant without the settings object has the template's
    defaults, whose list is empty."""
    found = _password_rules(data)
    if isinstance(found, Outcome):
        return found
    setting, values = found
    enforced = values["EnableBannedPasswordCheck"].lower() == "true"
    words = [w for w in values["BannedPasswordList"].replace(",", "\t").split("\t") if w.strip()]
    detail = (f"EnableBannedPasswordCheck: {values['EnableBannedPasswordCheck']}, "
              f"{len(words)} custom banned word(s)")  # fmt: skip
    record = _rules_record(setting, detail, {"EnableBannedPasswordCheck":
                                             values["EnableBannedPasswordCheck"]})  # fmt: skip
    if enforced and words:
        return passed(detail, [record])
    return failed_if([record], detail)


@check(
    "IDP-PWD-003",
    "Password protection is enforced in the on-premises Active Directory",
    Severity.medium,
    Baseline.cis,
    cis_control("5.2.3.3"),
    "In Authentication methods > Password protection, enable password protection on Windows "
    "Server Active Directory and set the mode to Enforced (after the DC agents are deployed).",
    controls=cis_ids("5.2.3.3"),
)
def on_premises_password_protection(data: PostureData) -> Outcome:
    """Only for a hybrid tenant (a user synchronised from on-premises)."""
    if not data.users:
        return not_applicable("no users in the snapshot")
    if not synced_users(data):
        return not_applicable("no user is synchronised from on-premises: a cloud-only tenant")
    found = _password_rules(data)
    if isinstance(found, Outcome):
        return found
    setting, values = found
    on = values["EnableBannedPasswordCheckOnPremises"].lower() == "true"
    mode = values["BannedPasswordCheckOnPremisesMode"]
    detail = f"EnableBannedPasswordCheckOnPremises: {values['EnableBannedPasswordCheckOnPremises']}"
    detail += f", mode {mode}"
    record = _rules_record(setting, detail, {
        "EnableBannedPasswordCheckOnPremises": values["EnableBannedPasswordCheckOnPremises"],
        "BannedPasswordCheckOnPremisesMode": mode,
    })  # fmt: skip
    if on and mode.lower() == ENFORCE:
        return passed(detail, [record])
    return failed_if([record], detail)


@check(
    "IDP-PWD-004",
    "Password hash sync is on for the hybrid tenant",
    Severity.medium,
    Baseline.cis,
    cis_control("5.1.8.1"),
    "In Microsoft Entra Connect (or Cloud Sync), enable password hash synchronization, so "
    "leaked credentials are detected and sign-in survives an on-premises outage.",
    controls=cis_ids("5.1.8.1"),
)
def password_hash_sync(data: PostureData) -> Outcome:
    """Not applicable to a cloud-only tenant; for a hybrid one Graph says it only in the
    on-premises synchronization settings, which a snapshot does not hold: unknown."""
    if not data.users:
        return not_applicable("no users in the snapshot")
    synced = synced_users(data)
    if not synced:
        return not_applicable("no user is synchronised from on-premises: a cloud-only tenant")
    return unknown([PASSWORD_SYNC], f"{len(synced)} synchronised user(s); not in the snapshot: "
                   f"{PASSWORD_SYNC}")  # fmt: skip
