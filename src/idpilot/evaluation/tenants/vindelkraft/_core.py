"""The tenant under construction: its collections, answer key, ids and clock.

Shared by every module of the Vindelkraft generator; nothing here is shared with the Contoso
demo generator (the evaluation needs a tenant built independently of it).
"""

from __future__ import annotations

import random
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

TENANT_ID = "5b7c1e9a-3f0d-4c21-9e8b-6d2a4f7c0b13"
MICROSOFT_TENANT_ID = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
DOMAIN = "vindelkraft.eu"
INITIAL_DOMAIN = "vindelkraft.onmicrosoft.com"
CAPTURED = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)
DAYS = 30

Record = dict[str, Any]


def iso(moment: datetime) -> str:
    """Graph's timestamp form: UTC with a Z and no more than 7 fractional digits."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A moment in November 2026 (the month the snapshot is captured in)."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=UTC)


_FOLD = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "ł": "l", "Ł": "L", "ß": "ss"})


def ascii_name(text: str) -> str:
    """A name as typed on a keyboard without its diacritics (Łukasz -> Lukasz, Ø -> O)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass
class Tenant:
    """Every collection of the snapshot, plus the answer key being written alongside."""

    rng: random.Random
    collections: dict[str, list[Record]] = field(default_factory=dict)
    personas: dict[str, Record] = field(default_factory=dict)
    scenarios: list[Record] = field(default_factory=list)
    users_by_key: dict[str, Record] = field(default_factory=dict)
    planted: dict[str, Record] = field(default_factory=dict)
    """Records other modules refer to (a role assignment, an app role grant), by key."""

    def new_id(self) -> str:
        """A random-looking but seed-determined GUID."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def add(self, collection: str, record: Record) -> Record:
        """Append a record to a collection and return it."""
        self.collections.setdefault(collection, []).append(record)
        return record

    def records(self, collection: str) -> list[Record]:
        """The records of one collection so far."""
        return self.collections.setdefault(collection, [])

    def user(self, key: str) -> Record:
        """A planted user by persona key."""
        return self.users_by_key[key]

    def persona(self, key: str, user: Record) -> None:
        """Name a user in the answer key under `key`."""
        self.users_by_key[key] = user
        self.personas[key] = {
            "id": user["id"],
            "displayName": user["displayName"],
            "givenName": user.get("givenName") or user["displayName"].split()[0],
            "givenNameAscii": ascii_name(user.get("givenName") or user["displayName"].split()[0]),
            "displayNameAscii": ascii_name(user["displayName"]),
            "surname": user.get("surname") or "",
            "userPrincipalName": user["userPrincipalName"],
            "mail": user.get("mail") or "",
            "department": user.get("department") or "",
            "city": user.get("city") or "",
        }

    def scenario(
        self,
        scenario_id: str,
        description: str,
        entities: dict[str, Any],
        facts: dict[str, Any],
        evidence: dict[str, list[str]],
    ) -> None:
        """Record one planted situation with its ground truth."""
        self.scenarios.append(
            {
                "id": scenario_id,
                "description": description,
                "entities": entities,
                "facts": facts,
                "evidence": evidence,
            }
        )

    def jitter(self, moment: datetime, minutes: int) -> datetime:
        """A moment up to `minutes` later, with seconds."""
        return moment + timedelta(seconds=self.rng.randrange(0, minutes * 60 + 1))
