"""The names a prompt holds, cleaned and masked: look-alike matches dropped (the speaker, a
name shaped like the question, a department's words inside a longer name), roles said in
words added, and the prompt rewritten with placeholders so its words are read, not its names.
"""

from __future__ import annotations

import re

from idpilot.copilot.entities import EMAIL, GUID, IPV4, PromptEntities
from idpilot.copilot.understanding.classifier import (
    PERSONAL_PRONOUN,
    PLACEHOLDER_WORDS,
    classifier_for,
    mask_quoted_messages,
    single_placeholders,
)
from idpilot.copilot.understanding.stated import SITE_WORDS, asks_privileged_in_general
from idpilot.knowledge.countries import country_code
from idpilot.skills.builtin._role_names import role_in_text, said_by_synonym
from idpilot.store import Store
from idpilot.store.directory import users_in_department
from idpilot.store.lookup import EntityMatch, MatchQuality

MAX_ROLE_WORDS = 3
"""Longest user name (in words) read as a role's name: "Global Admins", not "Global Admins
Team Lead"."""

QUESTION_SHARE_OF = (3, 4)
"""A name that opens the prompt with a question word and holds this share of its words (and at
least MIN_QUESTION_WORDS) is the question's shape, not a name."""

MIN_QUESTION_WORDS = 3

_OPENING_WORDS = frozenset({
    "which", "who", "what", "whom", "whose", "why", "when", "where", "how", "show", "list",
    "tell", "give", "find", "is", "are", "does", "do", "did",
})  # fmt: skip

_WORDS_OF = re.compile(r"\w+")

PARTIAL_WORDS = 3
"""A partial match of this many words of a policy's name is masked as a name."""

KIND_PLACEHOLDER = {
    "user": PLACEHOLDER_WORDS["user"],
    "group": PLACEHOLDER_WORDS["group"],
    "servicePrincipal": PLACEHOLDER_WORDS["app"],
    "unifiedRoleDefinition": PLACEHOLDER_WORDS["role"],
    "conditionalAccessPolicy": PLACEHOLDER_WORDS["policy"],
}

NAMED_OUTRIGHT = frozenset({MatchQuality.id, MatchQuality.exact, MatchQuality.alias})
"""An object named by its id, its full name or its alias: no word of a longer name, no guess."""
SURE_QUALITIES = frozenset(
    {
        MatchQuality.id,
        MatchQuality.exact,
        MatchQuality.alias,
        MatchQuality.first_name,
        MatchQuality.fuzzy,
    }
)

_NAME_LIKE = re.compile(r"\b[A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*)+")
"""Two or more capitalised words: how a person's or a group's name usually looks."""

_NOT_NAMES = frozenset(
    ["conditional access", "identity protection", "global administrator", "microsoft entra",
     "entra id", "azure ad", "azure active directory", "microsoft graph", "log analytics",
     # Other vendors' products an admin compares Entra with ("the Google Workspace word").
     "google workspace", "google cloud", "okta verify", "active directory", "amazon web services",
     "service control policy", "identity center", "jump cloud", "ping identity"]
)  # fmt: skip


_ERROR = re.compile(r"\b(?:aadsts)?\d{5,7}\b", re.I)


def words_pattern(phrase: str) -> str:
    """A regex for the phrase's words with any separators between them ("IT-Operations")."""
    return r"\W+".join(re.escape(w) for w in phrase.split())


def said_as_department(prompt: str, department: str, entities: PromptEntities) -> bool:
    """Whether the department's words in the prompt name the department, not a group or an
    object whose longer name holds them ("the Finance group", "Marketing Team", "the
    engineering dynamic group")."""
    lowered = department.lower()
    # A longer name matched around the department's words ("the finance portal"), however
    # loosely: the words are that name's. A loose match that only caught the department's
    # words and the prompt's next ones ("Turbine Engineering haven't") names no longer name.
    if any(
        re.search(rf"\b{re.escape(lowered)}\b", m.phrase)
        and m.phrase != lowered
        and not _department_words_only(m, department)
        for m in entities.matches
    ):
        return False
    words = words_pattern(department)
    said = re.search(rf"\b{words}\b(?!\s+(?:[\w-]+\s+)?(?:groups?|teams?)\b)", prompt, flags=re.I)
    return said is not None


def inexact_match(match: EntityMatch, department: str) -> bool:
    """A match of the department's own words that is not the object's exact name."""
    exact = match.quality in (MatchQuality.id, MatchQuality.exact)
    return not exact and (
        match.phrase.lower() == department.lower() or _department_words_only(match, department)
    )


def _department_words_only(match: EntityMatch, department: str) -> bool:
    """Whether a loose match holds the department's words and, beside them, only words its
    object's name lacks: the department said, followed by words of the question."""
    if match.quality not in (MatchQuality.fuzzy, MatchQuality.partial):
        return False
    said = set(re.findall(r"\w+", match.phrase.lower()))
    own = set(re.findall(r"\w+", department.lower()))
    if not own <= said:
        return False
    name = set(re.findall(r"\w+", match.label.lower()))
    return not (said - own) & name


def mask_department(prompt: str, department: str) -> str:
    """The prompt with the department's name read as "the department"."""
    words = words_pattern(department)
    placeholder = PLACEHOLDER_WORDS["department"]
    return re.sub(rf"(?:\bthe\s+)?\b{words}\b", placeholder, prompt, flags=re.I)


_PERSON_NOUNS = (
    r"(?:guy|girl|man|woman|lady|person|user|employee|colleague|starter|joiner|hire|"
    r"intern|contractor|consultant|staffer|member|admin|engineer|manager|technician)s?"
)
"""Nouns for a person: "the new guy in Bergen" says where he works, not where he signed in."""


def drop_home_places(
    prompt: str, places: list[tuple[str, str]], user_phrases: list[str]
) -> tuple[str, list[tuple[str, str]]]:
    """The prompt without the places that only say where a person is based ("new starter
    Ainhoa in Valencia", "the new guy in Bergen, Orjan"), and the places left.

    Such a place describes who is meant, not a sign-in's location: read as "that city" it
    would make the question look like a what-if about signing in from there. A place with a
    site word ("in the Malmö office") or after a verb ("signs in from Bergen") stays.
    """
    people = [words_pattern(p) for p in user_phrases] + [_PERSON_NOUNS]
    who = "|".join(rf"\b{p}" for p in people)
    kept = []
    for typed, kind in places:
        home = re.compile(
            rf"(?:{who})\W{{0,3}}\s*(?:(?:who\s+)?(?:is\s+)?(?:based|located|working)\s+)?"
            rf"(?:in|from|at)\s+(?:the\s+)?({words_pattern(typed)})\b(?!\s+{SITE_WORDS})",
            re.I,
        )
        found = home.search(prompt)
        if found is None:
            kept.append((typed, kind))
            continue
        start, end = found.span(1)
        # "in"/"from"/"at" and the place go; the person stays.
        lead = re.search(r"(?:in|from|at)\s+(?:the\s+)?$", prompt[:start], re.I)
        prompt = prompt[: lead.start() if lead else start] + prompt[end:]
    return prompt, kept


def mask_places(prompt: str, places: list[tuple[str, str]]) -> str:
    """The prompt with the countries and cities it names read as "that country"/"that city"."""
    for typed, kind in sorted(places, key=lambda p: -len(p[0])):
        words = words_pattern(typed)
        placeholder = PLACEHOLDER_WORDS[kind]
        prompt = re.sub(rf"(?:\bthe\s+)?\b{words}\b", placeholder, prompt, count=1, flags=re.I)
    return prompt


def narrow_by_department(store: Store, entities: PromptEntities, department: str) -> None:
    """ "Lars from Sales": of the people a first name matches, those in the department said
    (all of them when none is)."""
    for matches in entities.groups_by_phrase("user").values():
        ids = list(dict.fromkeys(m.id for m in matches))
        if len(ids) < 2:
            continue
        inside = users_in_department(store, ids, department)
        if inside and len(inside) < len(ids):
            entities.matches = [m for m in entities.matches if m not in matches or m.id in inside]


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _name_words(text: str) -> set[str]:
    """The words of a name or prompt, camelCase split, lower case, a plural -s dropped."""
    words = re.findall(r"[^\W_]+", _CAMEL.sub(" ", text).lower())
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words}


def keep_closest_names(entities: PromptEntities, prompt: str) -> None:
    """Of the objects a partial phrase fits, those whose names share the most words with the
    whole prompt: "the CA service accounts exclusion group" is CA-Exclusion-ServiceAccounts,
    not CA-Exclusion-BreakGlass, though "exclusion" fits both."""
    said = _name_words(prompt)
    for kind in ("group", "servicePrincipal", "conditionalAccessPolicy"):
        for matches in entities.groups_by_phrase(kind).values():
            partial = [m for m in matches if m.quality is MatchQuality.partial]
            if len({m.id for m in partial}) < 2:
                continue
            shared = {m.id: len(_name_words(m.label) & said) for m in partial}
            best = max(shared.values())
            if list(shared.values()).count(best) < len(shared) and best > 1:
                drop = {i for i, n in shared.items() if n < best}
                entities.matches = [m for m in entities.matches if m.id not in drop]


def blank_names(prompt: str, entities: PromptEntities) -> str:
    """The prompt with the names of objects it holds blanked out, so a group called
    "Mac Users" or an app called "Windows Virtual Desktop" is not read as a platform."""
    text = prompt
    for match in sorted(entities.matches, key=lambda m: -len(m.phrase)):
        if match.phrase and "@" not in match.phrase and maskable(match):
            words = words_pattern(match.phrase)
            text = re.sub(rf"\b{words}\b", lambda m: " " * len(m.group(0)), text, flags=re.I)
    return text


def mask_names(prompt: str, entities: PromptEntities, unknown: str | None = None) -> str:
    """The prompt with the names, addresses, ids and codes it holds replaced by placeholders.

    `unknown` is a name the store does not hold; it reads as a person's name.
    """
    text = prompt.replace(unknown, PLACEHOLDER_WORDS["user"]) if unknown else prompt
    for match in entities.matches:  # an object named by its id reads as that kind of object
        if match.kind in KIND_PLACEHOLDER and GUID.fullmatch(match.phrase):
            text = text.replace(match.phrase, KIND_PLACEHOLDER[match.kind])
    text = GUID.sub(" ", text)
    text = EMAIL.sub(PLACEHOLDER_WORDS["user_upn"], text)
    text = IPV4.sub(PLACEHOLDER_WORDS["ip"], text)
    text = _ERROR.sub(PLACEHOLDER_WORDS["error_code"], text)
    if entities.of_kind("user"):  # "is she risky?" is about the user the prompt names
        text = PERSONAL_PRONOUN.sub(PLACEHOLDER_WORDS["user"], text)
    # A longer phrase kept as typed ("São Paulo", a city) keeps the shorter name inside it
    # ("Paulo (São Paulo, sales)": the person is the first "Paulo" only).
    kept: list[str] = []

    def keep(found: re.Match[str]) -> str:
        kept.append(found.group(0))
        return f"\x00{len(kept) - 1}\x00"

    for match in sorted(entities.matches, key=lambda m: -len(m.phrase)):
        if not match.phrase or "@" in match.phrase or GUID.fullmatch(match.phrase):
            continue
        words = words_pattern(match.phrase)
        if not maskable(match):
            if " " in match.phrase.strip():
                text = re.sub(rf"\b{words}\b", keep, text, flags=re.I)
            continue
        text = re.sub(rf"\b{words}(?:['’]s)?\b", KIND_PLACEHOLDER[match.kind], text, flags=re.I)
    text = re.sub(r"\x00(\d+)\x00", lambda found: kept[int(found.group(1))], text)
    text = single_placeholders(text)
    text = mask_quoted_messages(text)
    return " ".join(text.split())


MIN_DISTINCTIVE = 5


def distinctive_words_as_names(entities: PromptEntities) -> None:
    """An object named by the first word of its name alone ("tell me about bladescan" for
    BladeScan Analytics), a word no question of the bank uses and no other object shares, is
    named as surely as by an alias: its word is a name, not the question's."""
    classifier = classifier_for(())
    by_phrase: dict[str, list[EntityMatch]] = {}
    for match in entities.matches:
        by_phrase.setdefault(match.phrase, []).append(match)
    surely = {m.id for m in entities.matches if m.quality is not MatchQuality.partial}
    for phrase, matches in by_phrase.items():
        match = matches[0]
        if (
            len(matches) > 1
            or match.id in surely  # named whole elsewhere: this word adds nothing
            or match.quality is not MatchQuality.partial
            or " " in phrase
            or len(phrase) < MIN_DISTINCTIVE
            or not phrase.isalpha()
            or match.label.split()[0].lower() != phrase
            or classifier.exemplars_using(phrase) > 0
        ):
            continue
        entities.matches[entities.matches.index(match)] = match.model_copy(
            update={"quality": MatchQuality.alias}
        )


APP_PARTIAL_WORDS = 2
"""Words of an app's name that name it when said together (one word alone may be any app's)."""


def maskable(match: EntityMatch) -> bool:
    """A match sure enough that its words are a name, not the question's own words."""
    if match.quality in SURE_QUALITIES:
        return True
    # Several words of a policy's name ("block legacy authentication"), or two words or more
    # of an app's name that no other app shares ("the supplier sync app").
    words = len(match.phrase.split())
    if match.kind == "servicePrincipal":
        return words >= APP_PARTIAL_WORDS
    return match.kind == "conditionalAccessPolicy" and words >= PARTIAL_WORDS


def add_roles_in_words(store: Store, entities: PromptEntities, prompt: str) -> None:
    """A role named the way admins say it ("the global admins"), in place of weaker matches."""
    general = asks_privileged_in_general(prompt)
    strong = [
        m
        for m in entities.of_kind("unifiedRoleDefinition")
        if m.quality is not MatchQuality.partial
        and (not general or m.label.lower() in prompt.lower())
    ]
    said = [] if strong else role_in_text(store, prompt)[:1]
    if general:
        # "the privileged roles" is not the Privileged Role Administrator role.
        said = [r for r in said if r["displayName"].lower() in prompt.lower()]
    if strong or said or general:
        entities.matches = [
            m for m in entities.matches if m.kind != "unifiedRoleDefinition" or m in strong
        ]
    if said:
        # A user named after the role ("Global Admins") does not take a question about the
        # role over: a person's name that reads as a role is a look-alike, not the subject.
        role_ids = {role["id"] for role in said}
        entities.matches = [
            m for m in entities.matches if not (m.kind == "user" and _reads_as(store, m, role_ids))
        ]
    for role in said:
        entities.role_words.append(role["said"])
        entities.matches.append(
            EntityMatch(
                kind="unifiedRoleDefinition",
                id=role["id"],
                label=role["displayName"],
                detail=role.get("templateId") or "",
                # A role's other name ("Domain Admins") reads as the role; its own words as
                # they always did.
                phrase=role["said"]
                if said_by_synonym(role["said"])
                else role["displayName"].lower(),
                quality=MatchQuality.alias,
            )
        )


_SPEAKER = re.compile(
    r"^\W*(?:(?:hi|hello|hey|good (?:morning|afternoon|evening))\W+)?"
    r"(?:i['’]?m|i am|this is|my name is|here is)\s+",
    re.I,
)

_NAME_HERE = r"^\W*(?:(?:hi|hello|hey)\W+)?(?:it['’]?s\s+)?{name}\s+here\b"
"""A speaker who signs in first ("Ingrid here, I run SCADA Operators")."""

_ABOUT_OTHERS = re.compile(
    r"\b(?:any(?:one|body)|some(?:one|body)|every(?:one|body)|who|which|whose|he|she|him|her|"
    r"his|they|them|their|users?|people|staff|colleagues?|members?|employees?|accounts)\b",
    re.I,
)


def drop_speaker(entities: PromptEntities, prompt: str) -> None:
    """The person who introduces themselves ("I'm Lars Eriksson, I manage the sales team. is
    anybody in sales flagged as risky?") is the speaker, not the subject, when the rest asks
    about others; "I'm Alice, why can't I sign in?" is about the speaker and keeps her."""
    if opening := _SPEAKER.match(prompt):
        rest = prompt[opening.end() :].lower()
        speaker = [m for m in entities.of_kind("user") if m.phrase and rest.startswith(m.phrase)]
        after = rest[max((len(m.phrase) for m in speaker), default=0) :]
    else:  # "Günter here, I own Projekt Kestrel. Who's actually in it?"
        here = [
            (m, said)
            for m in entities.of_kind("user")
            if m.phrase
            and (said := re.match(_NAME_HERE.format(name=words_pattern(m.phrase)), prompt, re.I))
        ]
        speaker = [m for m, _ in here]
        after = prompt[max((said.end() for _, said in here), default=0) :].lower()
    if not speaker:
        return
    others = [m for m in entities.of_kind("user") if m not in speaker and m.phrase in after]
    if others or _ABOUT_OTHERS.search(after):
        entities.matches = [m for m in entities.matches if m not in speaker]


_SPEAKER_ROLE = re.compile(
    r"^\W*(?:(?:hi|hello|hey)\W+)?(?:"
    r"(?:[\w-]+\s+){0,3}?(?:admin|administrator|engineer|analyst|lead|manager|officer|desk|"
    r"helpdesk|support|team|side)\s+here"
    r"|(?:i['’]?m|i\s+am|as)\s+(?:the|an?|your|our)\s+(?:[\w-]+\s+){0,3}?(?:admin|"
    r"administrator|engineer|analyst|lead|manager|officer)(?:\s+on\s+(?:shift|call|duty))?)"
    r"\s*[.,:;!–-]+\s*",
    re.I,
)


def without_speaker_role(prompt: str) -> str:
    """The prompt without the speaker's own role said first ("Intune admin here.", "I'm the
    security analyst on shift:"): who asks, not what is asked about."""
    opening = _SPEAKER_ROLE.match(prompt)
    rest = prompt[opening.end() :] if opening else prompt
    return rest if len(rest.split()) >= MIN_REST_WORDS else prompt


MIN_REST_WORDS = 3


_RELAYED = re.compile(
    r"^\W*(?:(?:hi|hello|hey)\W+)?(?:my|our)\s+(?:manager|boss|ciso|cio|cto|ceo|director|"
    r"head\s+of\s+[\w&]+|team\s+lead|lead|supervisor|auditors?|security\s+officer)\s+"
    r"(?:is\s+asking|asks|asked|wants\s+to\s+know|would\s+like\s+to\s+know|needs\s+to\s+know|"
    r"is\s+wondering|wonders|wanted\s+to\s+know)\s*(?:whether|if|about|:|,)?\s*",
    re.I,
)


_ON_THE_LINE = re.compile(
    r"^\W*(?:(?:i['’]?m|i\s+am|we['’]?re)\s+)?(?:on\s+the\s+phone|on\s+a\s+call|on\s+the\s+line|"
    r"chatting|talking)\s+(?:with|to)\s+(?:[^,.;:!?\s]+(?:\.[^,.;:!?\s]+)*\s*)+?[,.;:!?]\s*"
    r"|^\W*(?:i['’]?ve\s+)?(?:got|have)\s+[^,;:!?]+?\s+on\s+the\s+(?:line|phone)\s*[,.;:!?]?\s*",
    re.I,
)
"""A help desk's call ("on the phone with Alice, ...", "got Tomas on the line, ..."): who is on
the line is said, but what they say is the question."""
_IN_BULLETS = re.compile(
    r"^\W*(?:(?:can\s+you|could\s+you|please|pls)\s+)*(?:give\s+me|write(?:\s+me)?|send\s+me|"
    r"i\s+need|prepare|draft)?\s*(?:(?:three|two|four|five|a\s+few|some|\d)\s+)?(?:short\s+)?"
    r"bullet(?:\s+points?|s)\s+(?:on|about|for|covering|summari[sz]ing)\s+",
    re.I,
)
_FOR_A_MEETING = re.compile(
    r",?\s*\b(?:for|before|ahead\s+of)\s+(?:my|the|our|a|tomorrow['’]?s|today['’]?s)\s+"
    r"(?:(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)?|exec(?:utive)?|board|team|weekly|daily|ciso|"
    r"management|leadership|security|steering)\s+)?(?:meeting|call|standup|sync|briefing)\b"
    r"|,?\s*\b(?:for|before)\s+(?:my|the|our)\s+\d{1,2}(?::\d{2})?\s*(?:am|pm)\b",
    re.I,
)


_TELLING_BACK = re.compile(
    r"[,.;:!?]?\s*(?:so\s+)?(?:what\s+(?:do|should|shall|can)\s+i\s+(?:tell|say\s+to|answer|reply\s+to)"
    r"\s+(?:her|him|them|my\s+\w+|the\s+\w+)|what\s+(?:do|should)\s+i\s+(?:tell|say)"
    r"|so\s+i\s+can\s+(?:tell|answer|reply\s+to|get\s+back\s+to)\s+(?:her|him|them|my\s+\w+))"
    r"\s*[?.!]*\s*$",
    re.I,
)
"""The relay's closing words ("..., what do I tell her?"): what the speaker will pass on."""


_CLAIM_CHECKED = re.compile(
    r"^\W*(?:(?:my|our|the)\s+[\w-]+(?:\s+[\w-]+)?|someone|somebody|people|they)\s+"
    r"(?:says?|claims?|told\s+(?:me|us)|think|thinks|reckons?)\s+(?:that\s+)?"
    r"(?P<claim>[^.?!]{8,}?)\s*[.,;:!]\s*(?:so\s+)?(?:is|are)\s+(?:that|this|it|they)\s+"
    r"(?:really\s+)?(?:true|right|correct|the\s+case|so)\b[^?]*\?*\s*$",
    re.I,
)
"""A claim someone made, and "is that true?": the claim is the question ("our auditors say
ordinary employees can create app registrations. is that true in our settings?")."""


def without_relay(prompt: str) -> str:
    """The question a request carries: who relays it ("My manager is asking whether Paulo is
    compromised" asks whether Paulo is compromised), the form the answer should take ("give me
    three bullet points on ...") and the meeting it is for ("... for my 9am") are not what is
    asked."""
    if claimed := _CLAIM_CHECKED.match(prompt):
        prompt = f"is it true that {claimed.group('claim')}?"
    asked = _ON_THE_LINE.sub("", _RELAYED.sub("", prompt, count=1), count=1)
    if asked != prompt:  # relayed: the closing "what do I tell her?" is the relay's too
        asked = _TELLING_BACK.sub("", asked) or asked
    asked = _IN_BULLETS.sub("", asked, count=1)
    return _FOR_A_MEETING.sub("", asked).strip() or prompt


def drop_names_inside_compounds(entities: PromptEntities, prompt: str) -> None:
    """A first name or surname matched on a word that is only ever half of a hyphenated word
    in the prompt ("break-glass accounts" and a user whose first name is Break) names nobody:
    the compound is one word."""
    entities.matches = [
        m
        for m in entities.matches
        if not (
            m.kind == "user"
            and m.quality in (MatchQuality.first_name, MatchQuality.partial)
            and m.phrase
            and _only_in_compounds(m.phrase, prompt)
        )
    ]


_A_NETWORK_AFTER = (
    r"\s+(?:exit\s+nodes?|exit|nodes?|network|browser|relays?|proxy|ips?|ip\s+address(?:es)?|"
    r"address(?:es)?|traffic|connections?|sign-?ins?|logins?)\b"
)
"""Words that make the word before them a network or a program ("the Tor exit node", "just
the Tor IP please")."""


def drop_names_of_networks(entities: PromptEntities, prompt: str) -> None:
    """A first name said only as a network's or a program's name ("a session from the Tor exit
    node" in a tenant with a user called Tor) names nobody."""
    entities.matches = [
        m
        for m in entities.matches
        if not (
            m.kind == "user"
            and m.quality is MatchQuality.first_name
            and m.phrase
            and (said := list(re.finditer(rf"\b{words_pattern(m.phrase)}\b", prompt, re.I)))
            and all(re.match(_A_NETWORK_AFTER, prompt[f.end() :], re.I) for f in said)
        )
    ]


def _only_in_compounds(phrase: str, prompt: str) -> bool:
    words = words_pattern(phrase)
    said = list(re.finditer(rf"\b{words}\b", prompt, re.I))
    return bool(said) and all(
        (
            prompt[m.end() : m.end() + 2].startswith("-")
            and prompt[m.end() + 1 : m.end() + 2].isalpha()
        )
        or (m.start() >= 2 and prompt[m.start() - 1] == "-" and prompt[m.start() - 2].isalpha())
        for m in said
    )


def drop_question_shaped_names(entities: PromptEntities, prompt: str) -> None:
    """An object named like the question itself ("Which users are risky") is a look-alike:
    a name of three words or more that opens the prompt with a question word and holds three
    quarters of its words does not take the question over."""
    words = _WORDS_OF.findall(prompt.lower())
    entities.matches = [m for m in entities.matches if not _question_shaped(m.phrase, words)]


def _question_shaped(phrase: str, words: list[str]) -> bool:
    said = _WORDS_OF.findall(phrase.lower())
    return (
        len(said) >= MIN_QUESTION_WORDS
        and said[0] in _OPENING_WORDS
        and words[: len(said)] == said
        and len(said) * QUESTION_SHARE_OF[1] >= len(words) * QUESTION_SHARE_OF[0]
    )


def _reads_as(store: Store, match: EntityMatch, role_ids: set[str]) -> bool:
    """Whether a matched object's whole name is one of the roles said in words."""
    return len(match.label.split()) <= MAX_ROLE_WORDS and any(
        role["id"] in role_ids for role in role_in_text(store, match.label)
    )


def unresolved_name(prompt: str, entities: PromptEntities) -> str | None:
    """A capitalised name in the prompt that matched no object ("who is Zebulon Quackenbush?")."""
    for match in _NAME_LIKE.finditer(prompt):
        words = match.group(0).split()
        if match.start() == 0 or prompt[: match.start()].rstrip().endswith((".", "?", "!")):
            words = words[1:]
        name = " ".join(words)
        if len(words) < 1 or name.lower() in _NOT_NAMES or country_code(name):
            continue  # a product, or a place ("United States"), is not a person's name
        if any(name.lower() in m.phrase or m.phrase in name.lower() for m in entities.matches):
            continue
        return name
    return None


_PERMISSIONS_OF_AN_API = (
    r"\s+(?:(?:application|app|delegated|api)\s+)?(?:permissions?|perms?|scopes?|api)\b"
)


def drop_api_names(entities: PromptEntities, prompt: str) -> None:
    """An app named only as the API whose permissions are meant ("high-privilege Microsoft
    Graph application permissions", "Graph perms") is no app the question is about."""
    lowered = prompt.lower()
    entities.matches = [
        m
        for m in entities.matches
        if not (
            m.kind == "servicePrincipal"
            and m.phrase
            and m.phrase in lowered
            and all(
                re.match(_PERMISSIONS_OF_AN_API, lowered[found.end() :])
                for found in re.finditer(re.escape(m.phrase), lowered)
            )
        )
    ]
