"""Who is at the keyboard, for what the CLI keeps in the app state (sessions, feedback)."""

from __future__ import annotations

import getpass

LOCAL_USER_PREFIX = "local:"
"""Marks a CLI user apart from API token users (whose names an admin chooses)."""


def local_user() -> str:
    """`local:<login name>` (`local:unknown` where the system cannot say)."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name and no USER/LOGNAME variables
        name = "unknown"
    return LOCAL_USER_PREFIX + (name.strip() or "unknown")
