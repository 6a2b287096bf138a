"""Which Entra ID log a Log Analytics result's rows come from: the table name, the `Type`
column of each row, or else the columns only that table has."""

from __future__ import annotations

from idpilot.sources.exports.categories import CATEGORIES, LogCategory, category_of_table

_SIGN_IN, _NON_INTERACTIVE, _SERVICE_PRINCIPAL = CATEGORIES[0], CATEGORIES[1], CATEGORIES[2]
_AUDIT, _RISKY_USERS, _USER_RISK, _RISKY_SPS, _SP_RISK = CATEGORIES[4:9]


def _names(columns: list[str]) -> set[str]:
    return {c.removesuffix(" [UTC]").strip().lower() for c in columns}


def table_by_columns(columns: list[str]) -> LogCategory | None:
    """The table whose columns these are (a query that kept the tables' own column names)."""
    names = _names(columns)
    if {"activitydisplayname", "targetresources"} <= names:
        return _AUDIT
    if "riskeventtype" in names:
        return _SP_RISK if "serviceprincipalid" in names and "userid" not in names else _USER_RISK
    if "risklastupdateddatetime" in names:
        return _RISKY_SPS if names & {"serviceprincipaltype", "appid"} else _RISKY_USERS
    if names & {"conditionalaccesspolicies", "conditionalaccessstatus", "resulttype"}:
        if "userprincipalname" not in names and "serviceprincipalid" in names:
            return _SERVICE_PRINCIPAL
        return _SIGN_IN
    return None


def table_of(name: str, columns: list[str]) -> LogCategory | None:
    """The table a result table holds, from its name when it is a log's, else its columns."""
    return category_of_table(name) or table_by_columns(columns)


def type_column(columns: list[str]) -> int | None:
    """Index of the `Type` column (each row's table), if the result kept it."""
    for index, column in enumerate(columns):
        if column.strip().lower() == "type":
            return index
    return None


def row_category(base: LogCategory, is_interactive: object) -> LogCategory:
    """A sign-in row's table when the result does not say it: non-interactive when the row's
    IsInteractive is false."""
    if base is _SIGN_IN and is_interactive in (False, "False", "false"):
        return _NON_INTERACTIVE
    return base
