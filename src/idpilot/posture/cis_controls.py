"""The CIS Microsoft 365 Foundations Benchmark v5.0.0 controls about identities: section 5
(Microsoft Entra admin center) and the section 1 controls on users and accounts.

The one place idpilot keeps CIS control numbers and titles: a check names its CIS controls with
`cis_ids(...)` and writes its control text with `cis_control(...)`, both read from here; a test
holds that every row is either implemented by a check or listed in `UNDECIDABLE` with the reason.

CIS's PDF is not redistributable, so each row was read from open projects that transcribe the
v5.0.0 benchmark (`SOURCES`): numbers, titles and levels from Maester's CIS page for v5.0.0,
level, licence and assessment status from Steampipe's `cis_v500` benchmark where it has the
control; the E3/E5 licence of the others from Prowler's CIS 6.0 mapping (same number and
title); the assessment status of the others from a public transcription of the v5.0.0 table of
contents that agrees with Steampipe on every row both have, and Tenable's v5.0.0 audit lists
where they say the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Assessment(StrEnum):
    """CIS's assessment status: whether the benchmark's audit can be fully automated."""

    automated = "Automated"
    manual = "Manual"


class Licence(StrEnum):
    """The lowest Microsoft 365 licence profile a control belongs to (E3 controls also apply
    to E5)."""

    e3 = "E3"
    e5 = "E5"


@dataclass(frozen=True)
class Source:
    """An open transcription of the benchmark, at the commit that was read (a page: its
    address, no commit)."""

    repo: str
    paths: tuple[str, ...]
    commit: str
    reads: str
    """What was taken from it."""


SOURCES: dict[str, Source] = {
    "maester": Source(
        "maester365/maester",
        ("website/docs/tests/cis/readme.md",),
        "36cee35cc0a94df1c5d3319e94799c69a5ef7fe6",
        "number, title and level of every v5.0.0 control (its 5.2.2.10 title is v4's)",
    ),
    "steampipe": Source(
        "turbot/steampipe-mod-microsoft365-compliance",
        ("cis_v500/section_1.pp", "cis_v500/section_5.pp"),
        "71af69286f5e8901473f7ac475c40909bca97fca",
        "title, level, licence and automated/manual of the controls it implements",
    ),
    "prowler": Source(
        "prowler-cloud/prowler",
        ("prowler/compliance/m365/cis_6.0_m365.json", "prowler/compliance/m365/cis_4.0_m365.json"),
        "3e000faa3109230b748e4418a13c11c9e59f5cfb",
        "E3/E5 profile of the controls Steampipe lacks; the audit rules of 1.1.4 and 5.2.3.4",
    ),
    "tenable": Source(
        "https://www.tenable.com/audits/CIS_Microsoft_365_Foundations_v5.0.0_L1_E3",
        (
            "https://www.tenable.com/audits/CIS_Microsoft_365_Foundations_v5.0.0_L1_E5",
            "https://www.tenable.com/audits/items/CIS_Microsoft_365_Foundations_v5.0.0_L1_E5"
            ".audit:9c78851bd7857bbbd36df07a461e2eec",
        ),
        "",
        "v5.0.0 L1 profile lists (E3, E5) naming the section 1 controls; 5.3.5 not automated",
    ),
    "toc": Source(
        "(unnamed in the code index: a v5.0.0 table-of-contents transcription)",
        (),
        "",
        "automated/manual of the controls Steampipe lacks; agrees with Steampipe on all others",
    ),
}


@dataclass(frozen=True)
class CisControl:
    """One benchmark recommendation."""

    number: str
    title: str
    level: int
    licence: Licence
    assessment: Assessment
    sources: tuple[str, ...]
    """Keys of `SOURCES` that state this row."""

    @property
    def id(self) -> str:
        """The id a check's `controls` carry (`CIS.5.2.3.6`)."""
        return f"CIS.{self.number}"


_A, _M = Assessment.automated, Assessment.manual
_E3, _E5 = Licence.e3, Licence.e5
_MS = ("maester", "steampipe")
_MPT = ("maester", "prowler", "toc")
_MPTT = ("maester", "prowler", "tenable", "toc")

_ROWS: list[tuple[str, str, int, Licence, Assessment, tuple[str, ...]]] = [
    ("1.1.1", "Ensure Administrative accounts are cloud-only", 1, _E3, _A, _MS),
    ("1.1.2", "Ensure two emergency access accounts have been defined", 1, _E3, _M, _MPTT),
    ("1.1.3", "Ensure that between two and four global admins are designated", 1, _E3, _A, _MS),
    ("1.1.4", "Ensure administrative accounts use licenses with a reduced application "
     "footprint", 1, _E3, _A, _MPTT),
    ("1.2.2", "Ensure sign-in to shared mailboxes is blocked", 1, _E3, _A, _MPTT),
    ("1.3.1", "Ensure the 'Password expiration policy' is set to 'Set passwords to never "
     "expire (recommended)'", 1, _E3, _A, _MS),
    ("5.1.2.1", "Ensure 'Per-user MFA' is disabled", 1, _E3, _A, _MPT),
    ("5.1.2.2", "Ensure third party integrated applications are not allowed", 2, _E3, _A, _MS),
    ("5.1.2.3", "Ensure 'Restrict non-admin users from creating tenants' is set to 'Yes'",
     1, _E3, _A, _MPT),
    ("5.1.2.4", "Ensure access to the Entra admin center is restricted", 1, _E3, _M, _MPT),
    ("5.1.2.5", "Ensure the option to remain signed in is hidden", 2, _E3, _M, _MPT),
    ("5.1.2.6", "Ensure 'LinkedIn account connections' is disabled", 2, _E3, _M, _MPT),
    ("5.1.3.1", "Ensure a dynamic group for guest users is created", 1, _E3, _A, _MS),
    ("5.1.5.1", "Ensure user consent to apps accessing company data on their behalf is not "
     "allowed", 2, _E3, _A, _MS),
    ("5.1.5.2", "Ensure the admin consent workflow is enabled", 1, _E3, _A, _MS),
    ("5.1.6.1", "Ensure that collaboration invitations are sent to allowed domains only",
     2, _E3, _M, _MPT),
    ("5.1.6.2", "Ensure that guest user access is restricted", 1, _E3, _A, _MPT),
    ("5.1.6.3", "Ensure guest user invitations are limited to the Guest Inviter role",
     2, _E3, _A, _MPT),
    ("5.1.8.1", "Ensure that password hash sync is enabled for hybrid deployments",
     1, _E3, _M, _MPT),
    ("5.2.2.1", "Ensure multifactor authentication is enabled for all users in administrative "
     "roles", 1, _E3, _A, _MS),
    ("5.2.2.2", "Ensure multifactor authentication is enabled for all users", 1, _E3, _A, _MS),
    ("5.2.2.3", "Enable Conditional Access policies to block legacy authentication",
     1, _E3, _A, _MS),
    ("5.2.2.4", "Ensure Sign-in frequency is enabled and browser sessions are not persistent "
     "for Administrative users", 1, _E3, _A, _MS),
    ("5.2.2.5", "Ensure 'Phishing-resistant MFA strength' is required for Administrators",
     2, _E3, _A, _MPT),
    ("5.2.2.6", "Enable Identity Protection user risk policies", 1, _E5, _A, _MS),
    ("5.2.2.7", "Enable Identity Protection sign-in risk policies", 1, _E5, _A, _MS),
    ("5.2.2.8", "Ensure 'sign-in risk' is blocked for medium and high risk", 2, _E5, _A, _MS),
    ("5.2.2.9", "Ensure a managed device is required for authentication", 1, _E3, _A, _MS),
    ("5.2.2.10", "Ensure a managed device is required to register security information",
     1, _E3, _A, ("steampipe", "toc")),
    ("5.2.2.11", "Ensure sign-in frequency for Intune Enrollment is set to 'Every time'",
     1, _E3, _A, _MS),
    ("5.2.2.12", "Ensure the device code sign-in flow is blocked", 1, _E3, _A, _MS),
    ("5.2.3.1", "Ensure Microsoft Authenticator is configured to protect against MFA fatigue",
     1, _E3, _A, _MS),
    ("5.2.3.2", "Ensure custom banned passwords lists are used", 1, _E3, _A, _MPT),
    ("5.2.3.3", "Ensure password protection is enabled for on-prem Active Directory",
     1, _E3, _A, _MPT),
    ("5.2.3.4", "Ensure all member users are 'MFA capable'", 1, _E3, _A, _MS),
    ("5.2.3.5", "Ensure weak authentication methods are disabled", 1, _E3, _A, _MS),
    ("5.2.3.6", "Ensure system-preferred multifactor authentication is enabled",
     1, _E3, _M, _MPT),
    ("5.2.4.1", "Ensure 'Self service password reset enabled' is set to 'All'",
     1, _E3, _M, _MS),
    ("5.3.1", "Ensure 'Privileged Identity Management' is used to manage roles",
     2, _E5, _A, _MPT),
    ("5.3.2", "Ensure 'Access reviews' for Guest Users are configured", 1, _E5, _A, _MS),
    ("5.3.3", "Ensure 'Access reviews' for privileged roles are configured", 1, _E5, _A, _MS),
    ("5.3.4", "Ensure approval is required for Global Administrator role activation",
     1, _E5, _M, _MPT),
    ("5.3.5", "Ensure approval is required for Privileged Role Administrator activation",
     1, _E5, _M, _MPTT),
]  # fmt: skip

CIS_CONTROLS: dict[str, CisControl] = {row[0]: CisControl(*row) for row in _ROWS}
"""Number -> control, in benchmark order."""

UNDECIDABLE: dict[str, str] = {
    "1.2.2": "whether a user is a shared mailbox is Exchange Online's (recipient type), not in "
    "a Graph snapshot",
    "5.1.2.1": "per-user MFA state (beta users/{id}/authentication/requirements) is not collected",
    "5.1.2.4": "'Restrict access to Microsoft Entra admin center' has no Graph API",
    "5.1.2.5": "'Show keep user signed in' lives in company branding "
    "(organizationalBranding), which is not collected",
    "5.1.2.6": "'LinkedIn account connections' has no Graph API",
    "5.2.4.1": "the self-service password reset scope has no Graph API",
    "5.3.2": "access review definitions (identityGovernance/accessReviews) are not collected",
    "5.3.3": "access review definitions (identityGovernance/accessReviews) are not collected",
}
"""Controls no check decides, and why (a control the data cannot decide is never passed)."""


def cis_control(number: str) -> str:
    """A check's control text: the number and title as the benchmark words them."""
    return f"{number} {CIS_CONTROLS[number].title}"


def cis_ids(*numbers: str) -> tuple[str, ...]:
    """The `CIS.x.y.z` ids of these benchmark numbers (each must be in the table)."""
    return tuple(CIS_CONTROLS[n].id for n in numbers)
