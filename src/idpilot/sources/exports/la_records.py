"""A Log Analytics row (SigninLogs, AuditLogs, AADRiskyUsers...) turned back into the Graph object
it was exported from: columns renamed to Graph's properties, JSON text parsed, times in Graph's
form.

Log Analytics names a column after the Graph property with its first letter capitalised
(`UserPrincipalName` is `userPrincipalName`); the exceptions are listed here, and columns Log
Analytics adds itself (`TenantId`, `Type`, `TimeGenerated`...) are left out. Dynamic columns
arrive as JSON text from the query API and CSV exports, and as JSON from other tools: both are
read. Empty cells and nulls are left out of the object, as Graph leaves out what it does not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import msgspec

from idpilot.model.collections import Collection
from idpilot.sources.exports.categories import LogCategory

# Columns Log Analytics or the export adds, with no Graph property of their own.
_ADDED = frozenset(
    {
        "tenantid", "aadtenantid", "sourcesystem", "type", "operationname", "operationversion",
        "resource", "resourcegroup", "resourceprovider", "level", "durationms", "identity",
        "timegenerated", "resultsignature", "mg", "managementgroupname", "computer", "rawdata",
        "callerIpAddress".lower(),
    }
)  # fmt: skip
# Renames shared by every table (lower-cased column name -> Graph property).
_RENAMED = {
    "id": "id",
    "ipaddress": "ipAddress",
    "riskeventtypes_v2": "riskEventTypes_v2",
    "processingtimeinms": "processingTimeInMilliseconds",
}
_SIGN_IN_RENAMED = {
    "conditionalaccesspolicies": "appliedConditionalAccessPolicies",
    "locationdetails": "location",
    "resourceidentity": "resourceId",
}
# Sign-in columns read another way: Location repeats location.countryOrRegion; ResultType and
# ResultDescription repeat status (read from them only when Status is absent); ResourceId is
# the Entra ID resource path, not the sign-in's resource.
_SIGN_IN_SKIPPED = frozenset({"location", "resulttype", "resultdescription", "resourceid"})
_AUDIT_RENAMED = {"aadoperationtype": "operationType"}
_AUDIT_SKIPPED = frozenset({"resulttype", "resultdescription", "location", "resourceid"})
_RISKY_SP_RENAMED = {"accountenabled": "isEnabled"}

# Graph properties that hold an object or array (Log Analytics may hold them as JSON text).
STRUCTURED = frozenset(
    {
        "status", "deviceDetail", "location", "mfaDetail", "appliedConditionalAccessPolicies",
        "authenticationDetails", "authenticationMethodsUsed", "authenticationProcessingDetails",
        "authenticationRequirementPolicies", "authenticationContextClassReferences",
        "networkLocationDetails", "riskEventTypes", "riskEventTypes_v2", "sessionLifetimePolicies",
        "signInEventTypes", "appliedEventListeners", "initiatedBy", "targetResources",
        "additionalDetails", "keyIds", "tokenProtectionStatusDetails", "privateLinkDetails",
        "managedServiceIdentity", "authenticationAppDeviceDetails",
    }
)  # fmt: skip
# Graph properties Graph types as a string of JSON text, which Log Analytics parses.
_JSON_TEXT = frozenset({"additionalInfo"})
_BOOLEANS = frozenset(
    {"isInteractive", "isRisky", "flaggedForReview", "isDeleted", "isProcessing", "isEnabled",
     "isTenantRestricted", "isThroughGlobalSecureAccess"}
)  # fmt: skip
_INTEGERS = frozenset({"autonomousSystemNumber", "processingTimeInMilliseconds"})
_PORTAL_TIME = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}, \d{1,2}:\d{2}:\d{2}(\.\d+)? [AP]M$")


class RowError(ValueError):
    """A cell that cannot be read as the Graph property it stands for."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class ColumnReading:
    """How one column of a table is read: the Graph property it fills (None: left out)."""

    column: str
    prop: str | None


def column_readings(category: LogCategory, columns: list[str]) -> list[ColumnReading]:
    """How each column of a `category` table is read, in column order."""
    return [ColumnReading(column, _property(category, column)) for column in columns]


def _property(category: LogCategory, column: str) -> str | None:
    name = column.removesuffix(" [UTC]").strip()
    key = name.lower()
    if key in _ADDED or key.startswith("_"):
        return None
    table = category.table
    if key == "category" and table != "AuditLogs":
        return None  # the diagnostic-settings category; AuditLogs' is Graph's own category
    if table.endswith(("SigninLogs", "SignInLogs")):
        if key in _SIGN_IN_SKIPPED:
            return None
        renamed = _SIGN_IN_RENAMED.get(key)
    elif table == "AuditLogs":
        if key in _AUDIT_SKIPPED:
            return None
        renamed = _AUDIT_RENAMED.get(key)
    elif table == "AADRiskyServicePrincipals":
        renamed = _RISKY_SP_RENAMED.get(key)
    else:
        renamed = None
    return renamed or _RENAMED.get(key) or name[:1].lower() + name[1:]


def graph_record(
    category: LogCategory, readings: list[ColumnReading], row: list[Any]
) -> dict[str, Any]:
    """The Graph object of one row (values in column order); raises RowError on a bad cell."""
    record: dict[str, Any] = {}
    result: dict[str, Any] = {}
    is_sign_in = category.collection is Collection.sign_ins
    for reading, cell in zip(readings, row, strict=True):
        if cell is None or cell == "":
            continue
        name = reading.column.removesuffix(" [UTC]").strip().lower()
        if reading.prop is None:
            if name in ("resulttype", "resultdescription") and is_sign_in:
                result[name] = cell
            continue
        value = _value(reading, cell)
        if value is not None:  # a dynamic cell holding JSON null
            record[reading.prop] = value
    if is_sign_in:
        _sign_in_status(record, result)
        for key, value in category.defaults.items():
            record.setdefault(key, value)
    if not isinstance(record.get("id"), str) or not record["id"]:
        raise RowError("Id", "every row needs an Id (the Graph object's id)")
    return record


def _sign_in_status(record: dict[str, Any], result: dict[str, Any]) -> None:
    """A sign-in's status from ResultType and ResultDescription when the row has no Status."""
    if "status" in record or "resulttype" not in result:
        return
    code = str(result["resulttype"])
    if not code.lstrip("-").isdigit():
        raise RowError("ResultType", f"expected an error code (a number), got '{code}'")
    record["status"] = {"errorCode": int(code), "failureReason": result.get("resultdescription")}


def _value(reading: ColumnReading, cell: Any) -> Any:
    prop = reading.prop
    assert prop is not None
    if prop in _JSON_TEXT:
        return cell if isinstance(cell, str) else msgspec.json.encode(cell).decode()
    if prop in STRUCTURED:
        return _structured(reading.column, cell)
    if prop in _BOOLEANS:
        return _boolean(reading.column, cell)
    if prop in _INTEGERS:
        return _integer(reading.column, cell)
    if prop.endswith("DateTime"):
        return graph_time(reading.column, cell)
    if isinstance(cell, str | bool | int | float | dict | list):
        return cell
    raise RowError(reading.column, f"unexpected value {cell!r}")


def _structured(column: str, cell: Any) -> Any:
    if not isinstance(cell, str):
        return cell
    try:
        return msgspec.json.decode(cell)
    except msgspec.DecodeError as error:
        raise RowError(column, f"expected JSON text (a dynamic column), got: {error}") from None


def _boolean(column: str, cell: Any) -> bool:
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, str) and cell.lower() in ("true", "false"):
        return cell.lower() == "true"
    if isinstance(cell, int) and cell in (0, 1):
        return bool(cell)
    raise RowError(column, f"expected true or false, got {cell!r}")


def _integer(column: str, cell: Any) -> int:
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell
    if isinstance(cell, str) and cell.lstrip("-").isdigit():
        return int(cell)
    raise RowError(column, f"expected a whole number, got {cell!r}")


def graph_time(column: str, cell: Any) -> str:
    """A timestamp as Graph writes it (`2026-10-21T10:00:09Z`, fractions kept, zeros trimmed),
    from ISO 8601 or the Log Analytics portal's `10/21/2026, 10:00:09.000 AM`."""
    if not isinstance(cell, str):
        raise RowError(column, f"expected a timestamp, got {cell!r}")
    text = cell.strip()
    try:
        if _PORTAL_TIME.match(text):
            shape = "%m/%d/%Y, %I:%M:%S.%f %p" if "." in text else "%m/%d/%Y, %I:%M:%S %p"
            moment = datetime.strptime(text, shape).replace(tzinfo=UTC)
        else:
            moment = _iso(text)
    except ValueError:
        raise RowError(column, f"expected an ISO 8601 timestamp, got '{cell}'") from None
    return format_graph_time(moment)


def _iso(text: str) -> datetime:
    # Python reads at most 6 fractional digits; Log Analytics writes up to 7.
    trimmed = re.sub(r"(\.\d{6})\d+", r"\1", text.replace("Z", "+00:00"))
    moment = datetime.fromisoformat(trimmed)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def format_graph_time(moment: datetime) -> str:
    """A UTC time in Graph's form: seconds, then a fraction only when it is not zero."""
    moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}".rstrip("0")
    return text + "Z"
