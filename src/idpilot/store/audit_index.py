"""Post-ingest hook: index which objects each directory audit event is about or was done by.

`audit_objects` maps an object id (lower case) to the audit events that target it, name it in a
modified property (the role or group of an "Add member to role/group" event), or were initiated
by it, so an object's history is an index lookup instead of a scan of every event's JSON.
"""

from __future__ import annotations

import duckdb

# Modified properties whose value is the id of another object the event is about
# (Graph writes them on the user target of "Add member to role" / "Add member to group").
RELATED_ID_PROPERTIES = ("Role.ObjectID", "Role.TemplateId", "Group.ObjectID")

_REBUILD = """
INSERT INTO audit_objects
SELECT a.id, lower(t ->> '$.id'), 'target', a.activityDateTime
FROM directoryAudits a, unnest(CAST(coalesce(a.targetResources, '[]') AS JSON[])) AS u(t)
WHERE t ->> '$.id' IS NOT NULL
UNION ALL
SELECT id, lower(actor), 'actor', activityDateTime FROM (
    SELECT id, activityDateTime,
           coalesce(initiatedBy ->> '$.user.id',
                    initiatedBy ->> '$.app.servicePrincipalId') AS actor
    FROM directoryAudits
) WHERE actor IS NOT NULL
UNION ALL
SELECT DISTINCT id, lower(trim(value, '"')), 'related', activityDateTime FROM (
    SELECT a.id, a.activityDateTime,
           coalesce(nullif(p ->> '$.newValue', ''), p ->> '$.oldValue') AS value
    FROM directoryAudits a,
         unnest(CAST(coalesce(a.targetResources, '[]') AS JSON[])) AS u(t),
         unnest(CAST(coalesce(t -> '$.modifiedProperties', '[]') AS JSON[])) AS m(p)
    WHERE p ->> '$.displayName' IN (SELECT unnest(?))
) WHERE value IS NOT NULL AND trim(value, '"') <> ''
"""


def rebuild_audit_objects(con: duckdb.DuckDBPyConnection) -> None:
    """Refill `audit_objects` from `directoryAudits` (inside the caller's transaction)."""
    con.execute("DELETE FROM audit_objects")
    con.execute(_REBUILD, [list(RELATED_ID_PROPERTIES)])
