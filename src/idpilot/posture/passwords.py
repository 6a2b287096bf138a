"""Password expiration (CISA SCuBA MS.AAD.6.1) over the tenant's domains."""

from __future__ import annotations

from idpilot.model.collections import Collection
from idpilot.model.directory import Domain
from idpilot.posture.base import (
    Baseline,
    Outcome,
    check,
    failed_if,
    not_applicable,
    passed,
    unknown,
)
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
    controls=("MS.AAD.6.1v1", "CIS.1.3.1"),
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
