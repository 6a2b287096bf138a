"""An admin's question with words of another language in it ("La cuenta de Valentina está
deshabilitada. ¿Quién la bloqueó?", "Zofia mówi, że konto zablokowane od wtorku rana"): the
words of identity work, questions and times in German, Spanish, Portuguese, Polish, Swedish,
French and Dutch read as their English ones, so the intent, the window and the conditions are
read as they would be in English, names included ("Zofia mówi": Zofia says).

Only a prompt with at least `MIN_FOREIGN_WORDS` words of the lexicon is read so: one stray word
that two languages share is left alone. The lexicon holds words no English question uses.
"""

from __future__ import annotations

import re
import unicodedata

MIN_FOREIGN_WORDS = 2
_LEXICON: dict[str, str] = {
    # Questions.
    "wer": "who", "wann": "when", "warum": "why", "wieso": "why", "welche": "which",
    "welcher": "which", "wie viele": "how many", "quién": "who", "quien": "who",
    "quiénes": "who", "cuándo": "when", "cuando": "when", "por qué": "why", "porqué": "why",
    "cuáles": "which", "cuántos": "how many", "cuántas": "how many", "qué": "what",
    "quem": "who", "quando": "when", "por que": "why", "porque": "why", "quais": "which",
    "quantos": "how many", "quantas": "how many", "kto": "who", "kiedy": "when",
    "dlaczego": "why", "które": "which", "którzy": "which", "ile": "how many",
    "vem": "who", "när": "when", "varför": "why", "vilka": "which", "vilken": "which",
    "hur många": "how many", "qui": "who", "quand": "when", "pourquoi": "why",
    "quels": "which", "quelles": "which", "combien": "how many", "wie": "who",
    "wanneer": "when", "waarom": "why", "welke": "which", "hoeveel": "how many",
    "foi": "was", "fue": "was", "wurde": "was", "został": "was", "blev": "was",
    "har": "has", "hat": "has", "tiene": "has", "tem": "has", "mówi": "says",
    # Accounts, people and objects.
    "konto": "account", "kontos": "accounts", "benutzer": "user", "nutzer": "user",
    "kennwort": "password", "passwort": "password", "gruppe": "group", "gruppen": "groups",
    "rolle": "role", "rollen": "roles", "richtlinie": "policy", "richtlinien": "policies",
    "bedingter zugriff": "conditional access", "anmeldung": "sign-in",
    "anmeldungen": "sign-ins", "risiko": "risk", "cuenta": "account", "cuentas": "accounts",
    "usuario": "user", "usuarios": "users", "contraseña": "password", "grupo": "group",
    "grupos": "groups", "política": "policy", "políticas": "policies",
    "acceso condicional": "conditional access", "riesgo": "risk", "conta": "account",
    "contas": "accounts", "usuário": "user", "usuários": "users", "senha": "password",
    "acesso condicional": "conditional access", "risco": "risk", "konta": "accounts",
    "użytkownik": "user", "użytkownicy": "users", "hasło": "password", "grupa": "group",
    "polityka": "policy", "politykę": "policy", "ryzyko": "risk", "användare": "users",
    "lösenord": "password", "grupp": "group", "roll": "role", "inloggning": "sign-in",
    "inloggningar": "sign-ins", "riskabla": "risky", "compte": "account",
    "utilisateur": "user", "utilisateurs": "users", "mot de passe": "password",
    "accès conditionnel": "conditional access", "gebruiker": "user",
    "gebruikers": "users", "wachtwoord": "password",
    # What happened.
    "gesperrt": "locked out", "deaktiviert": "disabled", "zurückgesetzt": "reset",
    "geändert": "changed", "gelöscht": "deleted", "hinzugefügt": "added",
    "entfernt": "removed", "anmelden": "sign in", "riskant": "risky",
    "bloqueó": "blocked", "bloqueado": "blocked", "bloqueada": "blocked",
    "deshabilitada": "disabled", "deshabilitado": "disabled", "deshabilitó": "disabled",
    "reseteó": "reset", "restableció": "reset", "cambió": "changed",
    "eliminó": "deleted", "añadió": "added", "agregó": "added", "desativada": "disabled",
    "desativadas": "disabled", "desativado": "disabled", "desativados": "disabled",
    "bloqueou": "blocked", "redefiniu": "reset", "alterou": "changed",
    "zablokowane": "locked", "zablokowany": "locked", "zablokowana": "locked",
    "wyłączone": "disabled", "wyłączony": "disabled", "zmienił": "changed",
    "zmieniła": "changed", "zresetował": "reset", "usunął": "deleted", "dodał": "added",
    "låst": "locked", "inaktiverat": "disabled", "inaktiverad": "disabled",
    "återställde": "reset", "ändrade": "changed", "registrerat": "registered",
    "registrerade": "registered", "bloqué": "blocked", "désactivé": "disabled",
    "réinitialisé": "reset", "geblokkeerd": "blocked", "uitgeschakeld": "disabled",
    # Times.
    "gestern": "yesterday", "heute": "today", "diese woche": "this week",
    "letzte woche": "last week", "seit": "since", "morgens": "morning", "ayer": "yesterday",
    "hoy": "today", "esta semana": "this week", "la semana pasada": "last week",
    "desde": "since", "ontem": "yesterday", "hoje": "today", "semana passada": "last week",
    "wczoraj": "yesterday", "dzisiaj": "today", "dziś": "today", "od": "since",
    "rano": "morning", "rana": "morning", "igår": "yesterday", "idag": "today",
    "förra veckan": "last week", "hier": "yesterday", "aujourd'hui": "today",
    "gisteren": "yesterday", "vandaag": "today",
    "montag": "monday", "dienstag": "tuesday", "mittwoch": "wednesday",
    "donnerstag": "thursday", "freitag": "friday", "lunes": "monday", "martes": "tuesday",
    "miércoles": "wednesday", "jueves": "thursday", "viernes": "friday",
    "segunda": "monday", "terça": "tuesday", "quarta": "wednesday", "quinta": "thursday",
    "sexta": "friday", "poniedziałek": "monday", "wtorek": "tuesday", "wtorku": "tuesday",
    "środa": "wednesday", "środy": "wednesday", "czwartek": "thursday", "piątek": "friday",
    "måndag": "monday", "tisdag": "tuesday", "onsdag": "wednesday", "torsdag": "thursday",
    "fredag": "friday",
}  # fmt: skip
"""Words (and a few phrases) of identity work, questions and times, with their English."""
_ONLY_WITH_OTHERS = frozenset(
    {"od", "ile", "hier", "wie", "qui", "desde", "porque", "quando", "cuando", "grupo", "roll",
     "konto", "risiko", "seit", "segunda", "quarta", "quinta", "sexta", "rana", "rano", "har",
     "hat", "tem"}
)  # fmt: skip
"""Words that are also English or common elsewhere: they count only beside surer ones."""
_PATTERN = re.compile(
    r"(?<![\w])("
    + "|".join(re.escape(w) for w in sorted(_LEXICON, key=len, reverse=True))
    + r")(?![\w])",
    re.I,
)


_DAY_OF_MONTH = re.compile(
    r"\b(?:no|el|en\s+el|am|den|w|i)?\s*\b(?:dia|día|tag|dniu|dagen|jour)\s+(\d{1,2})\b", re.I
)
"""A day of the month ("no dia 15", "el día 9"): "on the 15th"."""


def _day(match: re.Match[str]) -> str:
    day = int(match.group(1))
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f" on the {day}{suffix}"


def in_english(prompt: str) -> str:
    """`prompt` with the lexicon's words in English, when it has words of another language;
    else `prompt` unchanged."""
    text = unicodedata.normalize("NFC", prompt).replace("¿", "").replace("¡", "")
    found = [m.group(1).lower() for m in _PATTERN.finditer(text)]
    sure = [w for w in found if w not in _ONLY_WITH_OTHERS]
    if not sure or len(found) < MIN_FOREIGN_WORDS:
        return prompt
    text = _DAY_OF_MONTH.sub(_day, text)
    return _PATTERN.sub(lambda m: _LEXICON[m.group(1).lower()], text)
