"""Finding directory objects by what an admin calls them: name, UPN, mail, id, first name."""

from __future__ import annotations

import re
from enum import StrEnum

from idpilot.knowledge.product_apps import product_app_ids
from idpilot.model.records import Record
from idpilot.store.database import Store

FUZZY_THRESHOLD = 0.93
MAX_NAME_EDITS = 2
"""A close spelling is also at most this many edits away, or the name's first words: similar
beginnings alone ("Microsoft Entra", "Microsoft Teams") are no typo."""
MAX_ADDRESS_EDITS = 2
"""A typed sign-in name this many edits from a user's (before the @) is that user's."""
MIN_ADDRESS_CHARS = 6
"""Shorter names before the @ are too close to each other for a slip to tell."""
# Objects returned per name, kind and match quality. Two are enough to know a name is ambiguous;
# more are offered back to choose from, but a tenant of 100,000 look-alikes must not make every
# question fetch (and list) them all. Which ones: the first by display name, then id.
MAX_MATCHES_PER_NAME = 20


def _capped_sql(query: str) -> str:
    """`query` keeping at most $cap rows per phrase, kind and quality (by label, then id).

    A top-n aggregate (linear, one pass) rather than a window over every match.
    """
    return (
        "SELECT kind, top.id, top.label, top.detail, phrase, quality FROM ("
        " SELECT phrase, kind, quality, min_by({'id': id, 'label': label, 'detail': detail},"
        f" (label, id), $cap) AS tops FROM ({query}) AS found GROUP BY phrase, kind, quality"
        "), unnest(tops) AS picked(top)"
    )


class MatchQuality(StrEnum):
    """How a phrase matched an object, best first."""

    id = "id"
    exact = "exact"  # full display name, UPN, mail or appId
    alias = "alias"  # UPN local part, mail nickname
    first_name = "firstName"
    fuzzy = "fuzzy"
    partial = "partial"  # the words of the phrase appear, in order, in the display name


class EntityMatch(Record):
    """A directory object a phrase of the prompt names: the record, the phrase, how it matched.

    Its kind is user, group, servicePrincipal, unifiedRoleDefinition or
    conditionalAccessPolicy; `detail` tells look-alikes apart (UPN, description, appId, state).
    """

    phrase: str
    quality: MatchQuality


_SERVICE_ACCOUNT = (
    "regexp_matches(concat_ws(' ', displayName, userPrincipalName, jobTitle), "
    "'(^|\\s)svc[-_.]|service account', 'i')"
)
"""A service account (a `svc-` sign-in name, or "service account" in its names or title): the
first word of its name ("Print" of Print Scanner Service) is a word, not a first name; its
first words together name it ("the SCADA sync account")."""
_SERVICE_ACCOUNT_OF_U = (
    "regexp_matches(concat_ws(' ', u.displayName, u.userPrincipalName, u.jobTitle), "
    "'(^|\\s)svc[-_.]|service account', 'i')"
)
_EXACT_SQL = _capped_sql(f"""
SELECT 'user' AS kind, id, displayName AS label, coalesce(userPrincipalName, '') AS detail,
       lower(displayName) AS phrase, 'exact' AS quality
  FROM users WHERE lower(displayName) IN (SELECT unnest($p))
UNION ALL SELECT 'user', id, displayName, coalesce(userPrincipalName, ''),
       lower(userPrincipalName), 'exact'
  FROM users WHERE lower(userPrincipalName) IN (SELECT unnest($p))
UNION ALL SELECT 'user', id, displayName, coalesce(userPrincipalName, ''), lower(mail), 'exact'
  FROM users WHERE lower(mail) IN (SELECT unnest($p))
UNION ALL SELECT 'user', id, displayName, coalesce(userPrincipalName, ''),
       lower(split_part(userPrincipalName, '@', 1)), 'alias'
  FROM users WHERE lower(split_part(userPrincipalName, '@', 1)) IN (SELECT unnest($p))
UNION ALL SELECT 'user', id, displayName, coalesce(userPrincipalName, ''),
       lower(coalesce(givenName, split_part(displayName, ' ', 1))), 'firstName'
  FROM users WHERE lower(coalesce(givenName, split_part(displayName, ' ', 1)))
                   IN (SELECT unnest($p)) AND NOT {_SERVICE_ACCOUNT}
UNION ALL SELECT 'user', id, displayName, coalesce(userPrincipalName, ''), p.phrase, 'alias'
  FROM users, (SELECT unnest($p) AS phrase) p
  WHERE {_SERVICE_ACCOUNT} AND contains(p.phrase, ' ')
    AND starts_with(lower(displayName), p.phrase || ' ')
UNION ALL SELECT 'user', id, displayName, coalesce(userPrincipalName, ''), id, 'id'
  FROM users WHERE id IN (SELECT unnest($p))
UNION ALL SELECT 'group', id, displayName, coalesce(description, ''), lower(displayName), 'exact'
  FROM groups WHERE lower(displayName) IN (SELECT unnest($p))
UNION ALL SELECT 'group', id, displayName, coalesce(description, ''), id, 'id'
  FROM groups WHERE id IN (SELECT unnest($p))
UNION ALL SELECT 'servicePrincipal', id, displayName, coalesce(appId, ''), lower(displayName),
       'exact'
  FROM servicePrincipals WHERE lower(displayName) IN (SELECT unnest($p))
UNION ALL SELECT 'servicePrincipal', id, displayName, coalesce(appId, ''), appId, 'exact'
  FROM servicePrincipals WHERE appId IN (SELECT unnest($p))
UNION ALL SELECT 'servicePrincipal', id, displayName, coalesce(appId, ''), id, 'id'
  FROM servicePrincipals WHERE id IN (SELECT unnest($p))
UNION ALL SELECT 'unifiedRoleDefinition', id, displayName, coalesce(templateId, ''),
       lower(displayName), 'exact'
  FROM roleDefinitions WHERE lower(displayName) IN (SELECT unnest($p))
UNION ALL SELECT 'conditionalAccessPolicy', id, displayName, coalesce(state, ''),
       lower(displayName), 'exact'
  FROM conditionalAccessPolicies WHERE lower(displayName) IN (SELECT unnest($p))
UNION ALL SELECT 'conditionalAccessPolicy', id, displayName, coalesce(state, ''), id, 'id'
  FROM conditionalAccessPolicies WHERE id IN (SELECT unnest($p))
""")

# Similarity is computed once per distinct name (look-alike accounts share one), then joined
# back to the objects that carry the best-scoring names.
_FUZZY_SQL = _capped_sql("""
WITH objects AS (
    SELECT 'user' AS kind, id, displayName AS label, coalesce(userPrincipalName, '') AS detail,
           lower(displayName) AS name FROM users
    UNION ALL
    SELECT 'group', id, displayName, coalesce(description, ''), lower(displayName) FROM groups
    UNION ALL
    SELECT 'servicePrincipal', id, displayName, coalesce(appId, ''), lower(displayName)
    FROM servicePrincipals
), scored AS (
    SELECT n.name, p.phrase, jaro_winkler_similarity(n.name, p.phrase) AS score
    FROM (SELECT DISTINCT name FROM objects WHERE name IS NOT NULL) n,
         (SELECT unnest($p) AS phrase) p
), best AS (
    SELECT name, phrase FROM scored
    WHERE score >= $threshold
      AND (damerau_levenshtein(name, phrase) <= $edits OR starts_with(name, phrase || ' '))
    QUALIFY score = max(score) OVER (PARTITION BY phrase)
)
SELECT o.kind, o.id, o.label, o.detail, b.phrase, 'fuzzy' AS quality
FROM best b JOIN objects o USING (name)
""")


# A sign-in name typed with a slip ("bartlomiej.sekk@..."): the same domain, the part before
# the @ within MAX_ADDRESS_EDITS edits, the closest only.
_ADDRESS_SQL = _capped_sql("""
WITH typed AS (
    SELECT phrase, split_part(phrase, '@', 1) AS local, split_part(phrase, '@', 2) AS domain
    FROM (SELECT unnest($p) AS phrase)
), scored AS (
    SELECT 'user' AS kind, u.id, u.displayName AS label,
           coalesce(u.userPrincipalName, '') AS detail,
           t.phrase, 'fuzzy' AS quality,
           damerau_levenshtein(lower(split_part(u.userPrincipalName, '@', 1)), t.local) AS edits
    FROM users u JOIN typed t
      ON lower(split_part(u.userPrincipalName, '@', 2)) = t.domain
     AND abs(length(split_part(u.userPrincipalName, '@', 1)) - length(t.local)) <= $edits
)
SELECT kind, id, label, detail, phrase, quality FROM scored
WHERE edits <= $edits QUALIFY edits = min(edits) OVER (PARTITION BY phrase)
""")


# Display names as lower-case words separated by single spaces, padded: " finance all ".
_WORDS_OF = "' ' || trim(regexp_replace(lower({column}), '[^a-z0-9]+', ' ', 'g')) || ' '"
_PARTIAL_SQL = _capped_sql(f"""
SELECT kind, id, label, detail, phrase, 'partial' AS quality FROM (
    SELECT 'group' AS kind, id, displayName AS label, coalesce(description, '') AS detail,
           {_WORDS_OF.format(column="displayName")} AS words FROM groups
    UNION ALL
    SELECT 'servicePrincipal', id, displayName, coalesce(appId, ''),
           {_WORDS_OF.format(column="displayName")} FROM servicePrincipals
    UNION ALL
    SELECT 'conditionalAccessPolicy', id, displayName, coalesce(state, ''),
           {_WORDS_OF.format(column="displayName")} FROM conditionalAccessPolicies
    UNION ALL
    SELECT 'unifiedRoleDefinition', id, displayName, coalesce(templateId, ''),
           {_WORDS_OF.format(column="displayName")} FROM roleDefinitions
), (SELECT unnest($p) AS phrase)
WHERE contains(words, ' ' || phrase || ' ')
""")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
MIN_PLURAL_STEM = 4
"""Shorter words ("ios", "sms", "bus") are not read as plurals."""


def find_partial(store: Store, phrases: list[str]) -> list[EntityMatch]:
    """Groups, apps, policies and roles whose name contains the phrase's words in order.

    "finance" finds "Finance - All" and "DYN-Finance-Enabled"; users are never matched this
    way (first names and full names cover them).
    """
    originals: dict[str, list[str]] = {}
    for phrase in phrases:
        words = " ".join(_NOT_WORD.split(phrase.lower())).strip()
        for variant in _number_variants(words):
            originals.setdefault(variant, []).append(phrase)
    if not originals:
        return []
    rows = _capped(store, _PARTIAL_SQL, {"p": sorted(originals)})
    return _matches(
        sorted(
            (
                (*row[:4], original, _whole_name(row[2], row[4]) or row[5])
                for row in rows
                for original in originals[row[4]]
            ),
            key=_best_first,
        )
    )


def _whole_name(label: str, words: str) -> str | None:
    """ "exact" when the phrase is every word of the name, only its punctuation left out
    ("staff emea" for "Staff - EMEA"), or the code a name starts with ("vk-07" for "VK-07
    Medium or high sign-in risk: MFA", "ca011"); None otherwise."""
    name = " ".join(_NOT_WORD.split((label or "").lower())).strip()
    if not name:
        return None
    if name == words or (_CODE.search(words) and name.startswith(words + " ")):
        return MatchQuality.exact.value
    return None


_CODE = re.compile(r"[a-z].*\d|\d.*[a-z]")
"""Letters and digits together: a policy's or group's code ("vk 07", "ca011"), not a word."""


def _number_variants(words: str) -> list[str]:
    """The words as typed, and a singular word alone also in the plural: "the expense app" is
    "Kvitto Expenses" (English -s and -es plurals only). A plural typed is not made singular
    ("passwords" is not every policy about a "password"), and longer phrases stay as typed
    ("Microsoft Teams service" is not "Microsoft Teams Services")."""
    if not words or " " in words or len(words) < MIN_PLURAL_STEM:
        return [words] if words else []
    if words.isdigit() or words.endswith("s"):
        return [words]
    return [words, words + ("es" if words.endswith(("x", "ch", "sh")) else "s")]


def find_by_phrases(store: Store, phrases: list[str]) -> list[EntityMatch]:
    """Objects whose name, UPN, mail, alias, first name or id equals one of the phrases.

    Phrases are compared in lower case, people's names also without diacritics; ids as given.
    """
    if not phrases:
        return []
    rows = _capped(store, _EXACT_SQL, {"p": phrases})
    # A name spelled as typed wins: "Marta" is Marta when she exists, else Märta.
    people = {row[4] for row in rows if row[0] == "user"}
    if unmatched := [p for p in phrases if p not in people]:
        rows += _folded_rows(store, unmatched)
    if accented := [p for p in unmatched if not p.isascii()]:
        rows += _capped(store, _TYPED_ACCENTS_SQL, {"p": accented})
    if single := [p for p in unmatched if p.isalpha() and len(p) >= MIN_SURNAME_CHARS]:
        rows += _capped(store, _SURNAME_SQL, {"p": single})
    rows += _product_rows(store, phrases)
    return _matches(sorted(rows, key=_best_first))


def _product_rows(store: Store, phrases: list[str]) -> list[tuple[str, ...]]:
    """The tenant's service principal of a Microsoft product a phrase names by the product
    ("outlook" is Office 365 Exchange Online): the first of its app ids the tenant holds."""
    wanted = {p: ids for p in phrases if (ids := product_app_ids(p))}
    if not wanted:
        return []
    app_ids = sorted({app_id for ids in wanted.values() for app_id in ids})
    held = {
        row[3]: row
        for row in store.con.execute(
            "SELECT 'servicePrincipal', id, displayName, appId FROM servicePrincipals "
            "WHERE appId IN (SELECT unnest($ids))",
            {"ids": app_ids},
        ).fetchall()
    }
    rows = []
    for phrase, ids in wanted.items():
        if first := next((held[app_id] for app_id in ids if app_id in held), None):
            # Partial: the app is the one meant, but a product word alone does not make a
            # question about this tenant ("how do I set an out of office reply in Outlook?").
            rows.append((*first, phrase, MatchQuality.partial.value))
    return rows


# A name typed without its diacritics ("lukasz zielinski") equals the folded display or first
# name of a user whose name has them (store/sql/006_folded_names.sql).
_FOLDED_SQL = _capped_sql("""
WITH p AS (SELECT phrase, fold_name(phrase) AS folded FROM (SELECT unnest($p) AS phrase))
SELECT 'user' AS kind, u.id, u.displayName AS label,
       coalesce(u.userPrincipalName, '') AS detail, p.phrase, 'exact' AS quality
  FROM folded_user_names f JOIN p ON f.display = p.folded JOIN users u ON u.id = f.id
UNION ALL SELECT 'user', u.id, u.displayName, coalesce(u.userPrincipalName, ''), p.phrase,
       'firstName'
  FROM folded_user_names f JOIN p ON f.given = p.folded JOIN users u ON u.id = f.id
""")


MIN_SURNAME_CHARS = 3
"""Shorter words are too often initials or codes to read as a surname; three letters are
common surnames ("Kim", "Sęk"), and the understanding layer drops one typed as a code
("SEK", "EUR")."""
# A surname typed alone ("zielinski roles", "why can't sjoholm open the app"), with or without
# its diacritics: matched like a first name (several people may share it; a surname that is
# also a word of the trade is read both ways by the understanding layer). Only non-ASCII
# surnames are folded (the costly part), so a 50,000-user tenant costs about 15 ms.
_SURNAME_SQL = _capped_sql("""
WITH p AS (SELECT phrase, fold_name(phrase) AS folded FROM (SELECT unnest($p) AS phrase)),
s AS (SELECT id, displayName, userPrincipalName,
             CASE WHEN surname SIMILAR TO '[ -~]*' THEN lower(surname) ELSE fold_name(surname)
             END AS folded
        FROM users WHERE coalesce(surname, '') <> '')
SELECT 'user' AS kind, s.id, s.displayName AS label, coalesce(s.userPrincipalName, '') AS detail,
       p.phrase, 'firstName' AS quality
  FROM s JOIN p ON s.folded = p.folded
""")


# A name typed WITH diacritics the tenant does not store ("Tomáš Novák" for Tomas Novak): the
# typed phrase folded equals the lower-cased name.
_TYPED_ACCENTS_SQL = _capped_sql(f"""
WITH p AS (SELECT phrase, fold_name(phrase) AS folded FROM (SELECT unnest($p) AS phrase))
SELECT 'user' AS kind, u.id, u.displayName AS label,
       coalesce(u.userPrincipalName, '') AS detail, p.phrase, 'exact' AS quality
  FROM users u JOIN p ON lower(u.displayName) = p.folded
UNION ALL SELECT 'user', u.id, u.displayName, coalesce(u.userPrincipalName, ''), p.phrase,
       'firstName'
  FROM users u JOIN p ON lower(coalesce(u.givenName, split_part(u.displayName, ' ', 1))) = p.folded
  WHERE NOT {_SERVICE_ACCOUNT_OF_U}
""")


def _folded_rows(store: Store, phrases: list[str]) -> list[tuple[str, ...]]:
    """Users whose display or first name, diacritics folded, equals a phrase folded the same
    way: "Oystein" finds Øystein, "Lukasz Zielinski" finds Łukasz Zieliński."""
    if "folded_user_names" not in store.tables():
        return []  # a store from before the table existed (migrated on its next writable open)
    return _capped(store, _FOLDED_SQL, {"p": phrases})


# The id rows of _EXACT_SQL, one kind at a time: table and what tells look-alikes apart (fixed).
_BY_ID = {
    "user": ("users", "userPrincipalName"),
    "group": ("groups", "description"),
    "servicePrincipal": ("servicePrincipals", "appId"),
    "conditionalAccessPolicy": ("conditionalAccessPolicies", "state"),
}
ID_KINDS = frozenset(_BY_ID)
"""Kinds whose objects `find_by_phrases` also finds by id."""


def find_by_ids(store: Store, kind: str, ids: list[str]) -> list[EntityMatch]:
    """The objects of `kind` (in ID_KINDS) whose id is one of `ids`, as `find_by_phrases`
    returns them (quality id): one indexed lookup instead of every name comparison."""
    table, detail = _BY_ID[kind]
    rows = store.con.execute(
        f"SELECT '{kind}' AS kind, id, displayName AS label, coalesce({detail}, '') AS detail, "
        f"id AS phrase, 'id' AS quality FROM {table} WHERE id IN (SELECT unnest(?))",
        [ids],
    ).fetchall()
    return _matches(sorted(rows, key=_best_first))


def find_fuzzy(store: Store, phrases: list[str]) -> list[EntityMatch]:
    """Objects whose display name is within a small edit of one of the phrases (typos): similar
    by Jaro-Winkler and at most `MAX_NAME_EDITS` edits away."""
    if not phrases:
        return []
    return _matches(
        _capped(
            store,
            _FUZZY_SQL,
            {"p": phrases, "threshold": FUZZY_THRESHOLD, "edits": MAX_NAME_EDITS},
        )
    )


def find_close_addresses(store: Store, addresses: list[str]) -> list[EntityMatch]:
    """Users whose sign-in name is a typed address with a slip: the same domain, at most
    `MAX_ADDRESS_EDITS` edits before the @ (a local part of `MIN_ADDRESS_CHARS` or more), the
    closest ones only."""
    typed = [a for a in addresses if len(a.split("@", 1)[0]) >= MIN_ADDRESS_CHARS]
    if not typed:
        return []
    return _matches(_capped(store, _ADDRESS_SQL, {"p": typed, "edits": MAX_ADDRESS_EDITS}))


def _capped(store: Store, query: str, params: dict[str, object]) -> list[tuple[str, ...]]:
    """Rows of a capped lookup query, best quality first, then by label and id."""
    rows = store.con.execute(query, {**params, "cap": MAX_MATCHES_PER_NAME}).fetchall()
    return sorted(rows, key=_best_first)


_RANK = {quality.value: n for n, quality in enumerate(MatchQuality)}


def _best_first(row: tuple[str, ...]) -> tuple[int, str, str]:
    return _RANK[row[5]], row[2] or "", row[1]


def _matches(rows: list[tuple[str, ...]]) -> list[EntityMatch]:
    seen: set[tuple[str, str, str]] = set()
    found = []
    for kind, object_id, label, detail, phrase, quality in rows:
        key = (kind, object_id, phrase)
        if key in seen:
            continue
        seen.add(key)
        found.append(
            EntityMatch(
                kind=kind,
                id=object_id,
                label=label or object_id,
                detail=detail,
                phrase=phrase,
                quality=MatchQuality(quality),
            )
        )
    return found
