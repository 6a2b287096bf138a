"""What a user owns (groups, apps) and the devices their sign-ins came from."""

from __future__ import annotations

from datetime import datetime

from idpilot.model.records import Record
from idpilot.skills.base import SkillFacts, SkillResult
from idpilot.store import Store
from idpilot.store.queries.users import devices_signed_in_from, objects_owned_by

DEVICES_SHOWN = 10


class OwnedObject(SkillFacts):
    """A group, service principal or app registration the user owns."""

    kind: str
    id: str
    displayName: str | None


class DeviceSeen(SkillFacts):
    """A device the user's sign-ins came from, as its newest sign-in describes it."""

    device_id: str | None
    """None for a device not registered in the directory (Graph records no id for it)."""
    name: str | None
    os: str | None
    browser: str | None = None
    """The browser, for an unregistered device (told apart by system and browser)."""
    trust_type: str | None
    compliant: bool | None
    managed: bool | None
    last_seen: datetime
    sign_in_id: str
    sign_ins: int


def owned_objects(store: Store, user_id: str, result: SkillResult) -> list[OwnedObject]:
    """Groups, service principals and app registrations the user owns, each cited."""
    owned = objects_owned_by(store, user_id)
    for item in owned:
        result.add_evidence(
            Record(
                kind=item["kind"],
                id=item["id"],
                label=f"{item['kind']} {item['displayName']}",
                fields={"displayName": item["displayName"], "owner": user_id},
            )
        )
    return [OwnedObject(**item) for item in owned]


def devices_seen(store: Store, user_id: str, result: SkillResult) -> list[DeviceSeen]:
    """Devices the user's recorded sign-ins came from, newest first, each cited by a sign-in."""
    devices = devices_signed_in_from(store, user_id, DEVICES_SHOWN)
    for device in devices:
        result.add_evidence(
            Record(
                kind="signIn",
                id=device["sign_in_id"],
                label="latest sign-in from device "
                + (device["name"] or device["device_id"] or f"unregistered {device['os']}"),
                fields={
                    "deviceId": device["device_id"],
                    "displayName": device["name"],
                    "operatingSystem": device["os"],
                    "trustType": device["trust_type"],
                    "isCompliant": device["compliant"],
                    "isManaged": device["managed"],
                },
            )
        )
    return [DeviceSeen(**device) for device in devices]
