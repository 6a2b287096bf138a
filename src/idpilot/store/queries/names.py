"""Names of directory objects as they occur in a text (the grounding check's lookup)."""

from __future__ import annotations

from idpilot.store.database import Store

# Names that `inert_text` changes (irregular spacing, controls, format and invisible characters)
# cannot be found verbatim in the answer: they are fetched too and compared in their shown form.
_IRREGULAR = (
    r"[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\x{A0}\x{1680}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}"
    r"\x{034F}\x{115F}\x{1160}\x{17B4}\x{17B5}\x{3164}\x{FFA0}]|  |^ | $"
)
# The pattern is a constant of this module, pasted in so DuckDB compiles it once.
_NAMES_SQL = f"""
SELECT DISTINCT name FROM (
    SELECT displayName AS name FROM users UNION ALL SELECT displayName FROM groups
    UNION ALL SELECT displayName FROM servicePrincipals
    UNION ALL SELECT displayName FROM conditionalAccessPolicies
) WHERE name IS NOT NULL AND length(name) >= 4
    AND (contains($text, name) OR regexp_matches(name, '{_IRREGULAR}'))
    AND name NOT IN (SELECT displayName FROM roleDefinitions WHERE displayName IS NOT NULL)
"""


def directory_names_in(store: Store, text: str) -> list[str]:
    """Distinct names (4+ characters) of users, groups, apps and policies that occur in `text`,
    and every name an answer would show differently (irregular spacing, invisible characters).

    A name that is also a directory role's ("Global Administrator") is left out: the answer may
    name the role, and an object named after it must not make that answer fail its check."""
    return [row[0] for row in store.con.execute(_NAMES_SQL, {"text": text}).fetchall()]
