"""Cues in a question's shape that say what is asked, whatever its words' nearest exemplars:
"is anybody ... ?" asks for the list, "who can reset passwords?" for the role holders, "write
it up for the board" for a report, "what did X change?" for X's activity, "who reset ...?" for
the audit events, "is that ok?" for a verdict.
"""

from __future__ import annotations

import re

from idpilot.copilot.entities import EMAIL, PromptEntities
from idpilot.copilot.understanding._slot_report import AUDIENCES
from idpilot.copilot.understanding.classifier import IntentScore, favour
from idpilot.copilot.understanding.intents import LIST_OF
from idpilot.copilot.understanding.prompt_names import NAMED_OUTRIGHT, words_pattern
from idpilot.copilot.understanding.stated import Stated
from idpilot.copilot.understanding.weighing import (
    OBJECT_KINDS,
    STRONG,
    WINDOW,
    unmet_needs,
)
from idpilot.knowledge.draft_requests import DRAFT_REQUEST
from idpilot.store.audit_activities import MEMBERSHIP_ACTIVITY
from idpilot.store.lookup import EntityMatch, MatchQuality

ASKED = 1000.0
"""A question's shape that says what is asked makes that intent this much likelier."""
POSTURE = "posture_assessment"

_VERDICT = re.compile(
    r"\b(?:is (?:that|this|it) (?:ok(?:ay)?|fine|normal|a (?:risk|problem|concern|worry)|"
    r"too (?:many|much|high)|acceptable|enough|bad|good)|should (?:we|i) (?:worry|be worried)|"
    r"best practices?|microsoft(?:'s)? recommend\w*|recommended|too many|secure enough|"
    r"cis|scuba|eidsca|baselines?)\b",
    re.I,
)
"""A judgement asked of what is counted ("how many global admins are permanent? is that ok?")."""

COUNTED = frozenset({"role_holders", "list_users", "user_roles", "list_groups"})

_ANYONE = re.compile(
    r"\b(?:any(?:one|body)|every(?:one|body)"
    r"|(?:any|which|how many|all)\s+(?:of\s+(?:the|our)\s+)?(?:users?|accounts?|people|staff|"
    r"employees|guests)"
    r"|(?:are|were|is|was)\s+(?:my|our|the|its)\s+(?:users|people|staff|employees|team)"
    r"|^\W*(?:are\s+there\s+)?any\s+(?:of\s+(?:our|the)\s+)?(?:[\w-]+\s+){0,3}?(?:apps|applications|"
    r"keys|secrets|certificates|credentials|service\s+principals))\b",
    re.I,
)

REPORT = "report"
LIST_USERS = "list_users"

ROLE_HOLDERS = "role_holders"

_WHO_CAN = re.compile(
    r"\b(?:who|which\s+(?:users?|admins?|people|roles?|accounts?|of\s+(?:us|our\s+\w+))"
    r"|only|(?:any|some|no)(?:one|body)(?:\s+else)?)\b"
    r"[^?.]{0,40}?\b(?:can|could|may|(?:is|are)\s+(?:able|allowed|permitted)\s+to"
    r"|(?:has|have)\s+(?:the\s+)?(?:rights?|permissions?|access)\s+to)\b"
    r"|\b(?:can|could)\s+(?:any|some)(?:one|body)(?:\s+else)?\b",
    re.I,
)
"""Who may do something ("who on the team is allowed to reset passwords?", "only Sven can
assign roles, still true?", "can anyone else reset passwords?"): whom a role lets."""

_WHO_HOLDS = re.compile(
    r"(?:^|[,;:.!?]\s)\W*(?:(?:and|so|ok|okay)\W+)?"
    r"(?:who|which\s+(?:users|people|accounts)|(?:does|do|is|are)\s+(?:any|some)(?:one|body))\s+"
    r"(?:else\s+)?(?:(?:on|in|at)\s+(?:the\s+|our\s+|this\s+)?\w+\s+)?"
    r"(?:currently\s+|still\s+|actually\s+)?(?:holds?|has|have|is\s+in|are\s+in|is\s+assigned|"
    r"are\s+assigned|is\s+an?|are|(?:['’]s|is)\s+(?:an?\s+)?(?=[A-Z]))\b",
    re.I,
)
"""Who holds a role ("who holds global admin today?", "who on the team is a Helpdesk
Administrator?"): its holders."""

_DOES_SOMEONE_HOLD = re.compile(
    r"(?:^|[:.?!,]\s*)(?:(?:so|and|ok)\s+)?(?:does|is|has)\s+(?!any|some|every|no\b|it\b|there\b)"
    r"[\w'’. -]{2,40}?\s+(?:still\s+|really\s+|actually\s+)?(?:hold|have|has|a|an|eligible|"
    r"assigned|in)\b",
    re.I,
)
"""Whether one named person holds a role ("is Krzysztof a Privileged Role Administrator?",
"does Eve still hold Global Administrator?")."""
_ROLE_WORDS = re.compile(r"\b(?:roles?|role\s+assignments?|admin\s+rights|pim)\b", re.I)
USER_ROLES = "user_roles"
USER_DETAILS = "user_details"

_WHOSE_FROM_AN_IP = re.compile(
    r"\b(?:whose\s+(?:sessions?|sign-?ins?|logins?|accounts?)|which\s+(?:of\s+(?:your|our|the)\s+)?"
    r"(?:accounts?|users?)\s+(?:was|were|is|are|signed|logged)|who\s+(?:was|is)\s+(?:it|that|behind)"
    r"|who\s+(?:signed|logged)\s+in\s+from)\b",
    re.I,
)
"""Who the sign-ins from an address are ("whose sessions are those?", "which of your accounts
was it?"): the sign-ins from it, by account."""
SIGNIN_SUMMARY = "signin_summary"
SIGNIN_TROUBLESHOOT = "signin_troubleshoot"

_MFA_STATES = frozenset({"mfa_registered", "sms_only", "weak_mfa"})
"""Stated conditions on a person's MFA registration."""
_WORKFLOW_ASKED = re.compile(
    r"\b(?:pre-?boarding|pre-?hire|onboarding|offboarding|joiner|mover|leaver|lifecycle|jml)"
    r"\s+(?:automation|workflow|run|tasks?|job)s?\b"
    r"|\b(?:temporary\s+access\s+pass|tap)\b[^.?!]{0,60}\bmanager\b",
    re.I,
)
"""A lifecycle workflow asked about by what it does ("the pre-boarding automation failed for
him", "never got the temporary access pass his manager was supposed to receive": the joiner
workflow's task that sends it): its runs and tasks."""
LIFECYCLE = "lifecycle_workflows"
_WHICH_NEW_PEOPLE = re.compile(
    r"\b(?:which|who|list|name|give\s+me)\b[^.?!]{0,30}?\b(?:new\s+)?(?:starters|joiners|hires|"
    r"employees|people|users|colleagues|accounts)\b(?![^.?!]*\b(?:workflows?|automation|runs?|"
    r"tasks?)\b)",
    re.I,
)
"""The people who joined ("which new starters were onboarded this week?"): the accounts
created in the window, not the onboarding workflow."""
_THROUGH_AN_ANONYMIZER = re.compile(
    r"\b(?:through|via|over|from|using|behind)\s+(?:a\s+|an\s+|the\s+)?(?:Tor\b|TOR\b|"
    r"anonymi[sz]\w*|anonymous\s+(?:ip|proxy|proxies|network|vpn)|exit\s+nodes?)"
    r"|\bTor\s+(?:exit|node|network|browser|address|ip)",
)
"""Coming in through Tor or another anonymizer: the anonymous-IP detection, of the person
named when one is."""
DETECT_THREATS = "detect_threats"
RISKY_USERS = "risky_users"
CA_COVERAGE = "ca_coverage"
_OUTSIDE_MFA = re.compile(
    r"\b(?:covered|protected|caught|enforced|in\s+scope)\s+(?:by|of|for)\s+(?:any\s+|an?\s+|"
    r"the\s+|our\s+)?(?:mfa|multi-?factor|2fa|conditional\s+access|ca)\b"
    r"|\b(?:excluded|exempt(?:ed)?|left\s+out)\s+from\s+(?:the\s+|our\s+|any\s+)?"
    r"(?:mfa|multi-?factor|2fa|conditional\s+access|ca)\b"
    r"|\b(?:mfa|2fa|multi-?factor)\b[^?]{0,80}\b(?:never|doesn['’]?t|does\s+not)\s+(?:ever\s+)?"
    r"(?:prompt|challenge)s?\b|\b(?:never|isn['’]?t|is\s+not)\s+(?:ever\s+)?(?:gets?\s+|being\s+)?"
    r"(?:prompted|challenged)\s+for\s+(?:mfa|2fa)",
    re.I,
)
"""Whether someone is inside the MFA policies at all ("why isn't the SCADA account covered by
MFA?"): the coverage analysis, which names the exclusions that leave people out."""
_NOT = (
    r"(?:wasn['’]?t|was\s+not|isn['’]?t|is\s+not|hasn['’]?t|has\s+not|doesn['’]?t|does\s+not|"
    r"didn['’]?t|did\s+not|aren['’]?t|weren['’]?t)"
)
_WHY_NOT_COVERED = re.compile(
    rf"\bwhy\s+{_NOT}\b[^?]{{0,80}}\b(?:asked|prompted|challenged|required)\s+(?:for|to\s+do)\s+"
    r"(?:mfa|2fa|multi-?factor)"
    rf"|\bwhy\s+{_NOT}\b[^?]{{0,60}}\bblocked\s+(?:when|if|from|whenever)\b"
    rf"|\bwhy\s+{_NOT}\s+(?:the\s+|our\s+|that\s+)?[^?]{{0,60}}\b(?:polic(?:y|ies)|rule)\b[^?]{{0,40}}"
    r"\b(?:hit|apply\s+to|catch|cover|affect|touch|reach)\b",
    re.I,
)
"""A "why not" asked of what the policies cover: someone never asked for MFA, not blocked when
signing in from somewhere, a policy that never reaches its people."""
_HOW_OFTEN_FAILED = re.compile(
    r"\bhow\s+(?:many\s+times|often)\b[^?]{0,60}\b(?:tried|try|tries|attempt\w*|fail\w*|"
    r"refused|rejected|blocked|denied|locked)\b(?:[^?]{0,30}\b(?:sign|log)\w*)?",
    re.I,
)
"""How often a person failed or tried to sign in: their failed attempts, counted."""
_SUPPOSED = re.compile(r"\b(?:if|suppose|supposing|were\s+to|what\s+would\s+happen)\b", re.I)
"""A sign-in supposed ("if Sven signs in from home, is he covered by MFA?"): a what-if."""
_PROMPT_BOMBING = re.compile(
    r"\b(?:spam\w*|bombard\w*|bomb(?:ed|ing)?|flood\w*|barrag\w*|fatigue)\b"
    r"[^.?!]{0,40}\b(?:mfa|2fa|authenticator|push(?:es)?|approvals?|prompts?|notifications?)\b"
    r"|\b(?:mfa|2fa|authenticator|push)\s+(?:spam\w*|bomb\w*|flood\w*|fatigue)\b"
    r"|\b(?:blew\s+up|blowing\s+up|exploded|went\s+(?:crazy|mad|nuts)|non-?stop|dozens\s+of|"
    r"hundreds\s+of|endless)\b[^.?!]{0,40}\b(?:approv\w*|"
    r"prompts?|notifications?|requests?|pushes|mfa)\b",
    re.I,
)
"""People flooded with MFA prompts until one is approved: the MFA fatigue detection (a steady
"constant prompts" complaint is a sign-in to troubleshoot instead)."""
_POLICY_STATE_OR_EFFECT = re.compile(
    r"\b(?:is|are)\s+(?:it|that|this|they|the\s+\w+|[\w-]+)?\s*(?:[\w'’-]+\s+){0,14}?(?:actually\s+|"
    r"really\s+|even\s+|still\s+)?(?:on|enabled|enforced|enforcing|switched\s+on|turned\s+on|"
    r"live|active|in\s+report-?only|report-?only|off|disabled|switched\s+off)\b"
    r"|\b(?:who|whose(?:\s+sign-?ins)?)\s+(?:would|will|does|did)\s+(?:it|that|this|the\s+policy)"
    r"\s+(?:have\s+)?(?:hit|affect|block|catch|stop|impact|interrupt|prompt|lock)\w*"
    r"|\bwhat\s+(?:does|would|will)\s+(?:it|that|this|[\w-]+(?:\s+[\w-]+){0,8}?)\s+(?:do|block|"
    r"enforce|require)\b|\b(?:summari[sz]e|explain|describe)\b|\bimpact\b"
    r"|\b(?:actually\s+)?(?:stopping|blocking|catching|enforcing)\s+(?:anyone|anybody|anything)"
    r"|\bdoing\s+anything\b|\bwho\s+(?:is|are|gets?)\s+(?:left\s+out|excluded|exempt\w*)\b"
    r"|\b(?:does|do)\s+(?:it|that|this)\s+cover\b"
    r"|\bwhat(?:['’]s|\s+is|\s+was)\s+(?:[\w-]+\s+){0,6}?for\b|\bdoing\s+its\s+job\b|\bpurpose\b",
    re.I,
)
"""A question about one policy's state or effect ("is that rule actually switched on, and who
would it hit?", "what does VK-07 do?", "is it actually stopping anyone?"), not its changes."""
_ABOUT_ITS_CHANGES = re.compile(
    r"\b(?:who|when)\b[^.?!]{0,40}\b(?:chang|modif|edit|updat|add|creat|turn|switch|set)\w*"
    r"|\bwhat\s+(?:was\s+|got\s+|has\s+been\s+)?chang\w*|(?<!password\s)\bchanges?\b"
    r"(?!\s+(?:their\s+|a\s+|the\s+|your\s+)?passwords?)|\bhistory\b",
    re.I,
)


def one_policy_asked(prompt: str, entities: PromptEntities, named: set[str]) -> str | None:
    """The id of the one Conditional Access policy whose state or effect the prompt asks
    about ("is VK-09 on?", "what does that rule do, and who would it hit?"), not its changes
    nor a supposed sign-in; None otherwise."""
    if STRONG + "conditionalAccessPolicy" not in named:
        return None
    if not _POLICY_STATE_OR_EFFECT.search(prompt) or _ABOUT_ITS_CHANGES.search(prompt):
        return None
    if _SUPPOSED.search(prompt) and not _SWITCHED_ON.search(prompt):
        return None
    policies = {
        m.id for m in entities.of_kind("conditionalAccessPolicy") if m.quality in NAMED_OUTRIGHT
    }
    return policies.pop() if len(policies) == 1 else None


_SWITCHED_ON = re.compile(
    r"\b(?:switch(?:ed)?|turn(?:ed)?|put|move[ds]?|flip(?:ped)?)\b[^.?!]{0,120}\b(?:on|live|"
    r"to\s+enforc\w*)\b|\b(?:enabl|enforc)(?:e|ed|ing)\b",
    re.I,
)
"""A policy supposed switched on ("if we switched it from report-only to on"): its effect."""
_FLAGGED_FOR_METHODS = re.compile(
    r"\bflagged\s+(?:for|as|with|over)\s+(?:[\w-]+\s+){0,4}?(?:mfa|2fa|multi-?factor|"
    r"phishing-?resistant|authentication|auth|sign-?in\s+methods?|methods?)\b",
    re.I,
)
"""A person flagged over their sign-in methods ("why is Łukasz flagged for weak MFA?"): their
methods and roles (user details), not their Identity Protection risk."""
_WHAT_CHANGED = re.compile(
    r"\bwhat(?:['’]s|\s+has|\s+was|\s+got)?\s+(?:been\s+)?(?:changed|different|modified)\b"
    r"|\bwhat\s+(?:did|has)\s+(?:\w+\s+){1,3}?chang\w*",
    re.I,
)
"""What changed asked ("what changed?", "what's different?"): of a workflow, its versions."""
_WHY_NO_OWNER = re.compile(
    r"\b(?:why|what\s+happened|how\s+come)\b[^?]{0,80}\b(?:no\s+owners?|ownerless|"
    r"without\s+(?:an?\s+|any\s+)?owners?|nobody\s+in\s+charge)"
    r"|\b(?:no\s+owners?|ownerless|nobody\s+in\s+charge)\b[^?]{0,80}\b(?:why|what\s+happened)\b",
    re.I,
)
"""Why a named group has no owner ("what happened to the Blade Quality Circle group? it has no
owner now"): the group's rundown, which says since when and who removed the last owner."""
GROUP_DETAILS = "group_details"
_EXCLUSION_CHANGED = re.compile(
    r"\b(?:took|taken|take|removed?|dropped?|pulled|added?|put|moved?)\b(?:[^.?!]|\.(?=\w)){0,80}"
    r"\b(?:out\s+of|"
    r"from|to|into|onto)\s+(?:the\s+)?exclu(?:sions?|ded\s+(?:list|users|accounts))\b",
    re.I,
)
"""Someone taken out of (or put into) a policy's exclusions ("who took breakglass02 out of the
exclusions of CA003?"): the policy's changes, whose old and new values name them."""
_SIGNED_IN_YET = re.compile(
    r"(?:^|[.?!]\s*)(?:so\s+|and\s+)?(?:has|have|did)\s+(?:he|she|they|[\w'’-]+(?:\s+[\w'’-]+)?)\s+"
    r"(?:managed|been\s+able|got|gotten)\s+to\s+(?:log|sign)\s*(?:in|on)\b",
    re.I,
)
"""Whether someone has signed in at all ("has he managed to log in yet?"): their last sign-in
(user details), not a failure to troubleshoot."""
_STILL_HAS_ACCESS = re.compile(
    r"\b(?:still|yet)\s+(?:has|have|holds?|keeps?|got)\s+(?:any\s+)?access\b"
    r"|\bcan\s+(?:he|she|they|[\w'’-]+)\s+still\s+(?:get\s+in|sign\s+in|log\s+in|access)\b"
    r"|\b(?:what|which)\s+access\s+(?:is|does\s+\w+\s+have)\s+(?:still\s+)?left\b",
    re.I,
)
"""Whether someone (a leaver) still has access ("HR needs to know whether the leaver still has
access to anything"): their account, its state, groups, roles and licences."""
_WHAT_BLOCKED_THEM = re.compile(
    r"\b(?:which|what)\s+(?:conditional\s+access\s+|ca\s+)?(?:polic(?:y|ies)|rules?)\s+"
    r"(?:blocked|stopped|denied|refused|kicked\s+out)\b"
    r"|\b(?:when|as)\s+(?:he|she|they|[\w'’-]+)\s+(?:tried|attempted)\s+to\s+(?:sign|log)\s*(?:in|on)\b",
    re.I,
)
"""What stopped one person's sign-in ("Which Conditional Access policy blocked Bob when he
tried to sign in from that Tor address?"): their sign-in, troubleshot, whatever network."""
_ONE_FIELD_OF_A_PERSON = re.compile(
    r"\b(?:his|her|their|[\w'’-]+['’]s)\s+(?:upn|e-?mail(?:\s+address)?|sign-?in\s+name|"
    r"user\s*name|object\s*id|job\s+title|title|department|office|phone(?:\s+number)?|"
    r"mobile(?:\s+number)?|employee\s+id)\b(?:\s+(?:please|pls))?\W*$",
    re.I,
)
"""One field of a person's account asked at the end ("the new guy in Offshore Operations who
started on Monday — his UPN?"): the account's details, however the person was described."""
_WHO_GRANTED_A_ROLE = re.compile(
    r"^\W*who\s+(?:gave|granted|assigned|handed(?:\s+out)?|made|promoted)\b[^?.!]{0,60}?"
    r"\b(?:(?:admin|administrator|privileged|directory)\s+roles?|roles?|admin\s+rights)\b",
    re.I,
)
"""Who granted someone a role ("Who gave the consultant from Iberwind an admin role?"): the
audit of the change, not the roles the person holds."""
WHO_CHANGED = "who_changed"
_ACTIVATION_APPROVAL = re.compile(
    r"\b(?:activat\w*|pim|elevat\w*)\b[^?.!]{0,60}\b(?:need|needs|require[sd]?|must|have\s+to)\b"
    r"[^?.!]{0,30}\b(?:approv\w*|justification|a\s+ticket)\b",
    re.I,
)
"""Whether activating a role needs approval ("does activating Global Admin need anyone's
approval?"): the tenant's PIM settings, judged by the baseline's check."""
_SET_UP_MFA = re.compile(
    r"\b(?:set\s*up|setup|registered|enrol(?:l?ed)?)\s+(?:(?:their|his|her|a|new)\s+)?(?:mfa|2fa|"
    r"authenticator|passkeys?|fido2?(?:\s+keys?)?|security\s+info)\b",
    re.I,
)
"""Setting up MFA said as an act ("who set up mfa this morning"): with a time, the events."""
_WHO_HAS = re.compile(r"\b(?:who|which\s+\w+)\s+(?:has|have|hasn['’]?t|haven['’]?t)\b", re.I)
_LEFT_OUT_OF_POLICIES = re.compile(
    r"\b(?:left\s+out\s+of|excluded\s+from|exempt(?:ed)?\s+from|out\s+of\s+scope\s+(?:of|for))\s+"
    r"(?:(?:every|all|any|each|the|our)\s+)?(?:[\w-]+\s+){0,2}?(?:polic(?:y|ies)|conditional\s+access|"
    r"ca\b)",
    re.I,
)
"""Whether someone is left out of the policies ("is Break Glass 02 left out of every block
policy?"): the coverage, which names each policy that leaves them out."""
_PURPOSE = re.compile(
    r"\bwhat(?:['’]s|\s+is|\s+was)\s+(?:[\w-]+\s+){0,6}?for\b|\bdoing\s+its\s+job\b|\bpurpose\b"
    r"|\bwhat\s+does\s+(?:[\w-]+\s+){0,6}?(?:do|achieve)\b|\bwhy\s+do\s+we\s+have\b",
    re.I,
)
"""What a policy is for and whether it does it ("What is CA003 for, and is it doing its job?"):
its coverage, whom it applies to and what its sign-ins show."""
_HYPOTHESIS = re.compile(
    r"\b(?:i\s+(?:think|believe|assume|suspect|reckon|guess|bet)|i['’]?m\s+(?:fairly\s+|pretty\s+|"
    r"quite\s+|almost\s+)?(?:sure|certain|convinced)|my\s+(?:guess|theory|hunch)|prove\s+me\s+"
    r"wrong|am\s+i\s+right|confirm\s+or\s+correct|is\s+(?:that|it)\s+(?:because|due\s+to|"
    r"caused\s+by|the)\b|because\s+of|caused\s+by)",
    re.I,
)
"""A cause or state the admin supposes and asks to check ("I think Henrik's mail breaks every
morning because of the change Sören made. Prove me wrong.")."""
_FAILS = re.compile(
    r"\b(?:fail\w*|break(?:s|ing)?|broke(?:n)?|can['’]?t\s+(?:get|sign|log)|cannot\s+(?:get|sign|log)|"
    r"locked\s+out|blocked|refused|turned\s+away|stopped\s+working|won['’]?t\s+(?:let|work))\b",
    re.I,
)
_ATTACKED = re.compile(
    r"\b(?:attack\w*|noise|spray\w*|brute[- ]?forc\w*|got\s+into|broke\s+into|break[- ]in|"
    r"intru\w*)\b",
    re.I,
)
_THEIR_RISK_ALERT = re.compile(r"\b(?:alert|risk\w*|flag\w*|leaked|detections?)\b", re.I)
_NOBODY_CHANGED = re.compile(
    r"\b(?:nobody|no\s+one|someone|somebody|anyone|anybody)\s+(?:has\s+|had\s+)?"
    r"(?:added|removed|put|took|pulled|dropped)\b",
    re.I,
)
"""A membership change supposed or denied ("nobody added it recently ... right?")."""
_A_BASELINE_CHECK = re.compile(
    r"\b(?:pass|passes|passed|passing|fail|fails|failed|failing|meet|meets|comply\s+with)\s+"
    r"(?:the\s+|a\s+|our\s+|that\s+|this\s+)?(?:[\w-]+\s+){0,5}?(?:check|control|baseline|"
    r"benchmark|requirement)s?\b|\b(?:scuba|cis)\s+(?:[\w-]+\s+){0,2}?(?:check|control)s?\b",
    re.I,
)
"""A baseline's check asked by name ("do we pass the SCuBA check on blocking legacy
authentication?"): the posture assessment, which leads with that check."""
_PERSON_AT_RISK = re.compile(
    r"\b(?:shows?|showing|flagged|marked|listed|comes?\s+up)\s+(?:as\s+|up\s+as\s+)?(?:high|"
    r"medium|low|risky|at\s+risk|compromised)\b|\brisk\s+(?:flag|level|state)\b"
    r"|\b(?:actually|really)\s+compromised\b|\bdismiss\b"
    r"|\b(?:is|was|are|were|been|be|got|get|gotten|getting)\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?:hacked|compromised|breached|pwned|taken\s+over)\b"
    r"|\bsome(?:one|body)\s+else\s+(?:is\s+|was\s+|be\s+)?(?:using|in|into|on|logging|signing)\b",
    re.I,
)
"""One person's Identity Protection flag asked about ("Bob shows as HIGH risk in the portal:
what happened?", "is the risk flag on him real or can I dismiss it?", "is Sofia hacked?"):
their risk summary."""
RISKY_USER_SUMMARY = "risky_user_summary"
_APP_AT_RISK = re.compile(
    r"\b(?:(?:still\s+)?flagged|risk\s+(?:level|state|flag)|risky|at\s+risk|compromised)\b",
    re.I,
)
"""An app's Identity Protection flag asked about ("is Contoso Legacy Sync still flagged? just
the risk level"): the workload identity's risk."""
WORKLOAD_IDENTITY_RISK = "workload_identity_risk"
_APP_KINDS = frozenset({STRONG + "servicePrincipal", STRONG + "application"})
_WHO_THEY_ARE = frozenset({"user_type", "department", "break_glass"})
"""Stated conditions on who a person is (a guest, of a department, a break-glass account)."""
_HOLDING_A_ROLE = re.compile(
    r"\b(?:hold|holds|holding|have|has|having|with|got)\s+(?:an?\s+|any\s+)?"
    r"(?:active\s+|eligible\s+|standing\s+|permanent\s+|current\s+)?"
    r"(?:admin|administrator|administrative|privileged)\s+(?:roles?|rights|access)\b",
    re.I,
)
"""Holding an admin role, said of people described otherwise ("members outside IT holding an
admin role"): the role holders, filtered."""

_DELIVERABLE = re.compile(
    r"\b(?:report|write[- ]?up|brief(?:ing)?|memo|summary|one[- ]pager|slides?|deck|e-?mail|"
    r"update|note|overview|summari[sz]e|one[- ]page)\b|\bwrite (?:up|something|a\b)",
    re.I,
)

_FOR_AN_AUDIENCE = re.compile(
    r"\b(?:for|to|aimed at|targeted at|meant for|addressed to|geared (?:to|towards)|tailored "
    r"(?:for|to)|to send to|to share with)\s+(?:the|our|my|a|an)?\s*(?:"
    + "|".join(words for _, words in AUDIENCES)
    + r")",
    re.I,
)

ACTOR_ACTIVITY = "actor_activity"

_DID_WHAT = (
    r"\b(?:what|which\s+(?:changes|things|objects|settings))\s+(?:else\s+)?(?:did|has|have)"
    r"\s+{name}\s+(?:\w+\s+)?(?:change|changed|do|done|modify|modified|edit|edited|update|"
    r"updated|delete|deleted|remove|removed|add|added|create|created|touch|touched|configure|doing|"
    r"configured|break|broken|make|made)\b"
)


_DONE_ANYTHING = (
    r"\b(?:has|have|did)\s+{name}\s+(?:\w+\s+)?(?:done|do|changed|change|touched|touch|"
    r"modified|made|been\s+doing|been\s+up\s+to)\s+(?:anything|something|much)\b"
)
"""Whether someone acted at all ("has he done anything this week beyond password resets?")."""
_HOW_MANY_DID = (
    r"\bhow\s+(?:many|often)\s+(?:[\w-]+\s+){{0,3}}?(?:did|has|have)\s+{name}\s+(?:\w+\s+)?"
    r"(?:disabled?|deleted?|created?|added|add|reset|removed?|changed?|invited?|updated?|"
    r"assigned?|granted|grant|enabled?|restored?)\b"
)
"""A count of what someone did ("how many accounts did Łukasz disable in October?")."""
_MADE_BY = (
    r"\b(?:changes?|edits?|modifications?|actions|activity|activities|operations|things)\s+"
    r"(?:(?:made|done|performed|carried\s+out|run)\s+)?by\s+{name}\b"
)


_APP = r"(?:\s+(?:app|application|service\s+principal))?"

_WHAT_THEY_CHANGED = re.compile(_DID_WHAT.format(name=r"(?:he|she|they|him|her|them)"), re.I)
"""What an admin the conversation named did ("what did he change ...?")."""

_IN_CONDITIONAL_ACCESS = re.compile(
    r"\b(?:in|to|on)\s+(?:the\s+|our\s+)?(?:ca|conditional\s+access)\b"
    r"|\b(?:ca|conditional\s+access)\s+polic(?:y|ies)\b",
    re.I,
)
"""Conditional Access as what was changed ("in CA", "to the CA policies")."""


_POLICY_ACTIVITY = re.compile(r"\bconditional access polic(?:y|ies)\b", re.I)
"""An audit activity that adds, updates or deletes a Conditional Access policy."""


def whose_policy_changes(prompt: str, entities: PromptEntities) -> EntityMatch | None:
    """The admin whose Conditional Access changes the prompt asks for ("what did Sören change
    in CA?", "the CA policy changes made by him", "what did he change to the CA policies?")."""
    if not _IN_CONDITIONAL_ACCESS.search(prompt):
        return None
    users = [m for m in entities.of_kind("user") if m.phrase]
    for match in users:
        name = words_pattern(match.phrase)
        if any(re.search(p.format(name=name), prompt, re.I) for p in (_DID_WHAT, _MADE_BY)):
            return match
    if _WHAT_THEY_CHANGED.search(prompt) and len({m.id for m in users}) == 1:
        return users[0]
    return None


def _asks_what_someone_did(prompt: str, entities: PromptEntities) -> bool:
    """ "what did natarajan change on the 2nd?", "list the changes made by soren", "what did
    the HR connector app change?": the person or app is the one who acted, not the object
    acted on."""
    actors = [*entities.of_kind("user"), *entities.of_kind("servicePrincipal")]
    names = [rf"(?:the\s+)?{words_pattern(m.phrase)}{_APP}" for m in actors if m.phrase]
    if any(
        re.search(pattern.format(name=name), prompt, re.I)
        for name in names
        for pattern in (_DID_WHAT, _MADE_BY)
    ):
        return True
    # Whether or how much someone did something is asked of a person named for sure, or of
    # "he" / "she" when that person is the only one the prompt names ("Marcus is service desk.
    # Has he done anything this week?").
    sure = [m for m in actors if m.phrase and m.quality is not MatchQuality.partial]
    people = {m.id for m in sure if m.kind == "user"}
    named = [rf"(?:the\s+)?{words_pattern(m.phrase)}" for m in sure]
    if len(people) == 1 and len({m.id for m in sure}) == 1:
        named.append(r"(?:he|she)")
    return any(
        re.search(pattern.format(name=name), prompt, re.I)
        for name in named
        for pattern in (_DONE_ANYTHING, _HOW_MANY_DID)
    )


AUDIT_HISTORY = "audit_history"

_WHO_DID = re.compile(
    r"(?:^|:\s)\W*(?:(?:and|so|ok|okay|hi|hey)\W+)?who\s+"
    r"(?:\w+ed|reset|set|made|gave|put|took|did|ran)\b"
    r"|[,;]\s*(?:and\s+)?(?:by\s+)?who(?:m)?\s+(?:did|made|done|ran)\s+(?:it|that|this|them)\b",
    re.I,
)

POLICY_CHANGES = "policy_changes"

_ABOUT_CHANGES = frozenset({"who_changed", POLICY_CHANGES, ACTOR_ACTIVITY, AUDIT_HISTORY})

_CHANGED = re.compile(r"\b(?:chang|modif|edit|updat|tweak|alter|touch)\w*\b", re.I)


_A_POLICY_SAID = re.compile(r"\b(?:ca\s+)?(?:polic(?:y|ies)|rule)\b", re.I)


def _changes_to_a_named_policy(prompt: str, entities: PromptEntities) -> bool:
    """ "what was changed in the MFA outside trusted offices policy on the 6th?": one Conditional
    Access policy named by several of its words, and its changes asked."""
    matched = entities.of_kind("conditionalAccessPolicy")
    policies = {
        m.id for m in matched if len(m.phrase.split()) >= 2 or m.quality is not MatchQuality.partial
    }
    if not policies and _A_POLICY_SAID.search(prompt):
        # "did anyone change the legacy-auth block policy?": one word of one policy's name,
        # and the prompt says it speaks of a policy.
        policies = {m.id for m in matched}
    return len(policies) == 1 and bool(_CHANGED.search(prompt))


def _who_did_the_activity(scores: list[IntentScore], activities: list[str]) -> list[IntentScore]:
    """ "who registered new MFA methods since monday?": an audit activity named and who did it
    asked: the audit events answer, unless another reading of changes already leads. Where
    the one leading is the membership changes but the activity is none ("which leavers did we
    disable in October, and who did it?"), the audit events answer too."""
    if not scores:
        return scores
    top = max(scores, key=lambda s: s.probability).intent
    memberships = any(MEMBERSHIP_ACTIVITY.search(a) for a in activities)
    if top in (POLICY_CHANGES, ACTOR_ACTIVITY) or (top == WHO_CHANGED and memberships):
        return scores
    return favour(scores, AUDIT_HISTORY, ASKED)


_PREPARE_A_REPORT = re.compile(
    r"\b(?:prepare|write|draft|produce|put\s+together|compile|generate|create|give|send|make)"
    r"\s+(?:me\s+|us\s+)?(?:a|an|the|our)\s+(?:[\w-]+\s+){0,4}?(?:report|write-?up|briefing|"
    r"memo|one-?pager|(?:one-?page|incident|executive|short|brief)\s+summary)\b",
    re.I,
)
"""A report asked to be made ("prepare the sign-in activity report for the Q4 audit file")."""


_AUDIENCE_WORDS = "|".join(words for _, words in AUDIENCES)
_WRITING = r"(?:report|write-?up|briefing|memo|one-?pager|summary)"
"""Pieces of writing (not "an overview" or "an update", which ask the facts themselves)."""
_AUDIENCE_ASKS = re.compile(
    rf"\b(?:{_AUDIENCE_WORDS})(?:\s+lead)?\s+(?:wants|needs|asked\s+(?:me\s+|us\s+)?for|asks\s+"
    rf"(?:me\s+|us\s+)?for|would\s+like|requested)\s+(?:a\s+|an\s+|the\s+)?(?:[\w-]+,?\s+){{0,4}}?"
    rf"{_WRITING}\b|\b(?:{_AUDIENCE_WORDS})(?:\s+lead)?\s+{_WRITING}\b",
    re.I,
)
"""A reader who asks for a piece of writing ("the board wants a one-page incident summary",
"Helpdesk report please")."""


def written_for_an_audience(prompt: str) -> bool:
    """A piece of writing asked for a reader ("write up the risky users situation for the
    helpdesk team", "sign-in report for last week, aimed at the engineers", "the board wants a
    one-page incident summary"): a report."""
    return bool(
        (_DELIVERABLE.search(prompt) and _FOR_AN_AUDIENCE.search(prompt))
        or _AUDIENCE_ASKS.search(prompt)
    )


def _asked_of_anyone(
    scores: list[IntentScore], named: set[str], prompt: str, ranked: bool = False
) -> list[IntentScore]:
    """A one-object question asked of anyone ("is anybody in sales flagged as risky?", "did
    anyone fail to sign in?"), or of the last or first few (`ranked`: "the last 3 people
    Conditional Access blocked"), names no such object: it is its list question, which finds
    them."""
    if not (ranked or _ANYONE.search(prompt)) or EMAIL.search(prompt):
        return scores
    moved: dict[str, float] = {}
    for score in scores:
        listing = LIST_OF.get(score.intent)
        if listing and unmet_needs(score.intent, named):
            moved[listing] = moved.get(listing, 0.0) + score.probability
    if not moved:
        return scores
    return [
        IntentScore(s.intent, 0.0, s.facet)
        if s.intent in LIST_OF and unmet_needs(s.intent, named)
        else IntentScore(s.intent, s.probability + moved.get(s.intent, 0.0), s.facet)
        for s in scores
    ]


def _one_person_not_a_role(scores: list[IntentScore], named: set[str], stated: Stated) -> bool:
    """The likeliest reading asks about roles' holders, yet the prompt names one person and no
    role, and states no capability nor privilege: it asks about that person."""
    top = max(scores, key=lambda s: s.probability, default=None)
    return (
        top is not None
        and top.intent == ROLE_HOLDERS
        and STRONG + "user" in named
        and STRONG + "unifiedRoleDefinition" not in named
        and not stated.values.get("capabilities")
        and not stated.values.get("privileged")
    )


def _asked_outright(scores: list[IntentScore], intent: str) -> list[IntentScore]:
    """The scores with `intent` the likeliest by `ASKED` times, however unlikely its words made
    it (a question whose shape alone says what it asks: "who reports to Henrik?")."""
    top = max((s.probability for s in scores), default=0.0)
    return [
        IntentScore(s.intent, max(s.probability, top) * ASKED, s.facet) if s.intent == intent else s
        for s in scores
    ]


DOCS_ANSWER = "docs_answer"
POLICY_DRAFT = "policy_draft"

_DRAFT_ASKED = DRAFT_REQUEST
"""A policy to draft asked outright ("Draft a CA policy: ...", "make me a rule that stops
..."): whatever else the prompt names."""

_TELL_APART = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|quick question)\W+)?(?:what(?:['’]s|\s+is)\s+the\s+difference\s+"
    r"between\b|how\s+(?:is|are|does|do)\s+.{3,60}?\s+differ(?:ent)?\s+from\b)",
    re.I,
)
"""A question that asks two things told apart ("what's the difference between 'Interrupted' and
'Failure' in the sign-in logs?"): the product's documentation answers it, not a record."""


_GUIDANCE_ASKED = re.compile(
    r"\bwhat\s+(?:does|do|would)\s+(?:microsoft|ms|the\s+docs?|the\s+documentation)\s+"
    r"(?:recommend|suggest|say|advise)\b",
    re.I,
)
"""Microsoft's guidance asked ("what does Microsoft recommend for break-glass accounts?")."""


def _tells_apart_terms(prompt: str, named: set[str]) -> bool:
    asks = _TELL_APART.search(prompt) or _GUIDANCE_ASKED.search(prompt)
    return bool(asks) and not any(k.startswith(STRONG) for k in named)


def asks_a_verdict(prompt: str) -> bool:
    """Whether the prompt asks for a judgement ("is that ok?", "is it within best practice?")."""
    return bool(_VERDICT.search(prompt))


def favour_by_shape(
    scores: list[IntentScore],
    prompt: str,
    entities: PromptEntities,
    stated: Stated,
    named: set[str],
) -> list[IntentScore]:
    """The scores with the intent the question's shape asks for made decisively likelier: the
    direct reports asked ("who reports to X?", `stated` holds whose), then at most one other cue,
    the first that fits."""
    if stated.values.get("reports_to"):
        # "who reports to Henrik?": the list of his direct reports.
        scores = _asked_outright(scores, LIST_USERS)
    scores = _asked_of_anyone(scores, named, prompt, ranked="rank" in stated.values)
    if _WHAT_CHANGED.search(prompt):
        # "the pre-hire workflow has failed twice this month. What changed?": its versions.
        scores = [
            IntentScore(s.intent, s.probability, "versions") if s.intent == LIFECYCLE else s
            for s in scores
        ]
    written = written_for_an_audience(prompt)
    if (
        stated.values.get("drafted_policy")
        and _DRAFT_ASKED.search(prompt)
        and not (written and not _A_POLICY_SAID.search(prompt))
    ):
        # ("our auditor wants a short write-up of how Eve became GA. can you draft it?": the
        # write-up is drafted, not a policy.)
        return favour(scores, POLICY_DRAFT, ASKED)
    if written or _PREPARE_A_REPORT.search(prompt):
        return favour(scores, REPORT, ASKED)
    if stated.values.get("capabilities") and _WHO_CAN.search(prompt):
        return favour(scores, ROLE_HOLDERS, ASKED)
    if _WORKFLOW_ASKED.search(prompt):
        return favour(scores, LIFECYCLE, ASKED)
    if one_policy_asked(prompt, entities, named) is not None:
        # "is the compliant-tablets rule actually on, and who would it hit?": that policy's
        # state and effect on the recorded sign-ins.
        return favour(scores, CA_COVERAGE, ASKED)
    if (
        stated.values.get("created_in_window")
        and WINDOW in named
        and _WHICH_NEW_PEOPLE.search(prompt)
    ):
        return favour(scores, LIST_USERS, ASKED)
    if STRONG + "conditionalAccessPolicy" in named and _EXCLUSION_CHANGED.search(prompt):
        return favour(scores, POLICY_CHANGES, ASKED)
    if STRONG + "group" in named and _WHY_NO_OWNER.search(prompt):
        return favour(scores, GROUP_DETAILS, ASKED)
    if STRONG + "user" in named and _PERSON_AT_RISK.search(prompt):
        return favour(scores, RISKY_USER_SUMMARY, ASKED)
    if (
        named & _APP_KINDS
        and STRONG + "user" not in named
        and _APP_AT_RISK.search(prompt)
        and not _CHANGED.search(prompt)
    ):
        return favour(scores, WORKLOAD_IDENTITY_RISK, ASKED)
    if STRONG + "user" in named and (
        _SIGNED_IN_YET.search(prompt)
        or _STILL_HAS_ACCESS.search(prompt)
        or _ONE_FIELD_OF_A_PERSON.search(prompt)
    ):
        return favour(scores, USER_DETAILS, ASKED)
    if STRONG + "user" in named and _FLAGGED_FOR_METHODS.search(prompt):
        return favour(scores, USER_DETAILS, ASKED)
    if _HYPOTHESIS.search(prompt):
        # A supposition to check is answered by the evidence that checks it: the person's
        # failures for a supposed cause of them, the detections for a supposed attack (or
        # none), the membership changes for a change supposed or denied.
        if STRONG + "user" in named and _FAILS.search(prompt):
            return favour(scores, SIGNIN_TROUBLESHOOT, ASKED)
        if STRONG + "user" in named and _THEIR_RISK_ALERT.search(prompt):
            # "I think Paulo's leaked-credentials alert is old noise": his risk, as it stands.
            return favour(scores, RISKY_USER_SUMMARY, ASKED)
        if _ATTACKED.search(prompt) and STRONG + "servicePrincipal" not in named:
            return favour(scores, DETECT_THREATS, ASKED)
        if _NOBODY_CHANGED.search(prompt):
            return favour(scores, WHO_CHANGED, ASKED)
    if (
        WINDOW in named
        and STRONG + "user" not in named
        and _SET_UP_MFA.search(prompt)
        and not _WHO_HAS.search(prompt)
    ):
        # "who set up mfa this morning": the registrations then, not who is registered.
        return favour(scores, AUDIT_HISTORY, ASKED)
    if _ACTIVATION_APPROVAL.search(prompt) or _A_BASELINE_CHECK.search(prompt):
        return favour(scores, POSTURE, ASKED)
    if _WHO_GRANTED_A_ROLE.search(prompt):
        return favour(scores, WHO_CHANGED, ASKED)
    if STRONG + "user" in named and _WHAT_BLOCKED_THEM.search(prompt):
        return favour(scores, SIGNIN_TROUBLESHOOT, ASKED)
    if STRONG + "user" in named and _HOW_OFTEN_FAILED.search(prompt):
        # "how many times has he still tried to sign in?": that person's failed attempts.
        return favour(scores, SIGNIN_TROUBLESHOOT, ASKED)
    if _WHY_NOT_COVERED.search(prompt) and WINDOW not in named and not _SUPPOSED.search(prompt):
        # "why wasn't the SCADA account ever asked for MFA?", "why isn't Björn blocked when he
        # signs in from outside our countries?": what the policies leave out, not one sign-in
        # (with a day named, that sign-in's evaluation answers).
        return favour(scores, CA_COVERAGE, ASKED)
    if _OUTSIDE_MFA.search(prompt) and not _SUPPOSED.search(prompt):
        return favour(scores, CA_COVERAGE, ASKED)
    if (
        STRONG + "conditionalAccessPolicy" in named
        and _PURPOSE.search(prompt)
        and not _CHANGED.search(prompt)
    ):
        return favour(scores, CA_COVERAGE, ASKED)
    if _LEFT_OUT_OF_POLICIES.search(prompt) and not _CHANGED.search(prompt):
        # "Is Break Glass 02 left out of every block policy?": what the policies leave out.
        return favour(scores, CA_COVERAGE, ASKED)
    if ("ip" not in named and _THROUGH_AN_ANONYMIZER.search(prompt)) or _PROMPT_BOMBING.search(
        prompt
    ):
        # "has Bob come in through Tor?" (an address named asks whose sign-ins it was instead)
        return favour(scores, DETECT_THREATS, ASKED)
    if stated.values.get("risk_closed") and STRONG + "user" not in named:
        # "who cleared their own risk with a secure password reset?": the risky users whose
        # risk was closed that way, not the password resets.
        return favour(scores, RISKY_USERS, ASKED)
    if _one_person_not_a_role(scores, named, stated) and not _WHO_CAN.search(prompt):
        # "is any of Daniel Fischer's methods phishing-resistant?": his record, not the holders;
        # "show the role assignments of Eve": her roles.
        return favour(scores, USER_ROLES if _ROLE_WORDS.search(prompt) else USER_DETAILS, ASKED)
    if "ip" in named and _WHOSE_FROM_AN_IP.search(prompt):
        # "I keep seeing 198.51.100.23 in the logs. Whose sessions are those?": who signed in.
        return favour(scores, SIGNIN_SUMMARY, ASKED)
    if stated.values.get("privileged") and (
        _MFA_STATES & set(stated.values)
        or (_WHO_THEY_ARE & set(stated.values) and _HOLDING_A_ROLE.search(prompt))
    ):
        # "any admins with no MFA registered?", "which guests hold an admin role?": the role
        # holders, filtered by what the question says of them, role by role.
        return favour(scores, ROLE_HOLDERS, ASKED)
    if {STRONG + "unifiedRoleDefinition", STRONG + "user"} <= named and _DOES_SOMEONE_HOLD.search(
        prompt
    ):
        # "is Krzysztof a Privileged Role Administrator?": that person's roles.
        return favour(scores, USER_ROLES, ASKED)
    if STRONG + "unifiedRoleDefinition" in named and _WHO_HOLDS.search(prompt):
        # "who holds global admin today?": the role's holders, whatever else it says.
        return favour(scores, ROLE_HOLDERS, ASKED)
    if whose_policy_changes(prompt, entities) is not None:
        # "what did he change in CA this month?": that admin's policy changes.
        return favour(scores, POLICY_CHANGES, ASKED)
    if _asks_what_someone_did(prompt, entities):
        return favour(scores, ACTOR_ACTIVITY, ASKED)
    if any(_POLICY_ACTIVITY.search(a) for a in stated.values.get("activities") or []):
        # "Activity = 'Update conditional access policy' on 6 Nov: what was changed?"
        return favour(scores, POLICY_CHANGES, ASKED)
    if stated.values.get("activities") and _WHO_DID.search(prompt):
        return _who_did_the_activity(scores, stated.values["activities"])
    if (
        stated.values.get("activities")
        and WINDOW in named
        and _ANYONE.search(prompt)
        and not named & {STRONG + kind for kind in OBJECT_KINDS}
    ):
        # "has anyone been given an admin role since Monday?": the audit events of that kind
        # in the window, whoever they touched.
        return favour(scores, AUDIT_HISTORY, ASKED)
    if _changes_to_a_named_policy(prompt, entities):
        return favour(scores, POLICY_CHANGES, ASKED)
    if _tells_apart_terms(prompt, named):
        return favour(scores, DOCS_ANSWER, ASKED)
    return scores
