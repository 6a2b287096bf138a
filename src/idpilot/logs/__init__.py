"""The log rows skills read (sign-ins, audit events, risk detections), from the local store or
by KQL where the logs live: `log_reader(store)` picks by settings."""

from idpilot.logs.local import StoreLogs
from idpilot.logs.reader import AuditHistory, AuditScope, LogReader
from idpilot.logs.source import log_reader, remote_logs_note

__all__ = ["AuditHistory", "AuditScope", "LogReader", "StoreLogs", "log_reader", "remote_logs_note"]
