"""What a user owns (groups, apps) and the devices their sign-ins came from."""

from __future__ import annotations

from typing import Any

from idpilot.model.records import Record
from idpilot.skills.base import SkillResult
from idpilot.store import Store

DEVICES_SHOWN = 10

_OWNED_SQL = """
SELECT 'group' AS kind, g.id, g.displayName FROM group_owners o JOIN groups g ON g.id = o.group_id
WHERE o.owner_id = $user
UNION ALL
SELECT 'servicePrincipal', id, displayName FROM servicePrincipals
WHERE list_contains(list_transform(CAST(coalesce(owners, '[]') AS JSON[]),
                                   lambda o: json_extract_string(o, '$.id')), $user)
UNION ALL
SELECT 'application', id, displayName FROM applications
WHERE list_contains(list_transform(CAST(coalesce(owners, '[]') AS JSON[]),
                                   lambda o: json_extract_string(o, '$.id')), $user)
ORDER BY 1, 3
"""

# The snapshot has no devices collection; the devices a user signs in from are in the sign-ins.
_DEVICES_SQL = """
SELECT json_extract_string(deviceDetail, '$.deviceId') AS device_id,
       any_value(json_extract_string(deviceDetail, '$.displayName')) AS name,
       any_value(json_extract_string(deviceDetail, '$.operatingSystem')) AS os,
       arg_max(json_extract_string(deviceDetail, '$.trustType'), createdDateTime) AS trust_type,
       arg_max(TRY_CAST(deviceDetail -> '$.isCompliant' AS BOOLEAN), createdDateTime) AS compliant,
       arg_max(TRY_CAST(deviceDetail -> '$.isManaged' AS BOOLEAN), createdDateTime) AS managed,
       max(createdDateTime) AS last_seen, arg_max(id, createdDateTime) AS sign_in_id,
       count(*) AS sign_ins
FROM signIns
WHERE userId = $user AND coalesce(json_extract_string(deviceDetail, '$.deviceId'), '') <> ''
GROUP BY 1 ORDER BY last_seen DESC LIMIT $limit
"""


def owned_objects(store: Store, user_id: str, result: SkillResult) -> list[dict[str, Any]]:
    """Groups, service principals and app registrations the user owns, each cited."""
    owned = store.query(_OWNED_SQL, {"user": user_id})
    for item in owned:
        result.add_evidence(
            Record(
                kind=item["kind"],
                id=item["id"],
                label=f"{item['kind']} {item['displayName']}",
                fields={"displayName": item["displayName"], "owner": user_id},
            )
        )
    return owned


def devices_seen(store: Store, user_id: str, result: SkillResult) -> list[dict[str, Any]]:
    """Devices the user's recorded sign-ins came from, newest first, each cited by a sign-in."""
    devices = store.query(_DEVICES_SQL, {"user": user_id, "limit": DEVICES_SHOWN})
    for device in devices:
        result.add_evidence(
            Record(
                kind="signIn",
                id=device["sign_in_id"],
                label=f"latest sign-in from device {device['name'] or device['device_id']}",
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
    return devices
