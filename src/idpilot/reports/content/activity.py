"""The incident and sign-in reports: findings or failures of a window, failures over time."""

from __future__ import annotations

from typing import Any

from idpilot.reports.content._base import (
    MAX_OBJECTS_PER_ITEM,
    Content,
    ReportInputs,
    kql_between,
    kql_string,
)
from idpilot.reports.model import ChartSpec, ObjectRef, Query, ReportItem
from idpilot.reports.wording import detection_words, severity_impact

MAX_ERRORS = 8
"""Error codes a sign-in report lists as issues (the commonest first)."""


def build_incident(inputs: ReportInputs, content: Content) -> None:
    """Add the window's threat findings (of the user, of the detections asked about, when
    named) and failures by day."""
    from idpilot.skills.builtin.detect_threats import DetectThreatsInput, detect_threats

    params = DetectThreatsInput(window=inputs.window, user=inputs.user_id)
    result = content.take(detect_threats(inputs.store, params))
    facts = result.facts
    asked = set(inputs.detections)
    findings = [f for f in facts.findings if not asked or f.detection in asked]
    refs = [_finding(inputs, content, n, f) for n, f in enumerate(findings, start=1)]
    by_severity = {s: sum(1 for f in findings if f.severity == s) for s in facts.by_severity}
    total = content.figures.add(
        "findings",
        "findings of the window" + (" of the detections asked about" if asked else ""),
        {
            "findings": len(findings),
            "otherFindings": len(facts.findings) - len(findings),
            **{f"{s}Findings": n for s, n in by_severity.items()},
            "criticalOrHighFindings": by_severity.get("critical", 0) + by_severity.get("high", 0),
        },
        sources=refs,
    )
    content.headline = [
        content.figures.value(total, "findings", "findings of suspicious activity"),
        content.figures.value(total, "criticalOrHighFindings", "of critical or high severity"),
    ]
    if asked:
        content.headline.append(
            content.figures.value(total, "otherFindings", "other findings in the window")
        )
    _failures_chart(inputs, content)


def _finding(inputs: ReportInputs, content: Content, n: int, finding: Any) -> str:
    """One finding as an issue, with its figure record (its counts, the records it rests on)."""
    records = [*finding.evidence_ids, *finding.more_sign_in_ids]
    records = [r for r in dict.fromkeys(records) if _evidence_ref(content, r)]
    counts = {
        key: value
        for key, value in finding.facts.items()
        if isinstance(value, int) and not isinstance(value, bool)
    }
    ref = content.figures.add(
        f"finding-{n}",
        f"finding {detection_words(finding.detection)} on {finding.subject_label}",
        {
            "detection": finding.detection,
            "severity": finding.severity,
            "subject": finding.subject_label,
            "firstSeen": finding.first_seen,
            "lastSeen": finding.last_seen,
            "records": len(records),
            **counts,
            "response": finding.response,
        },
        sources=[_evidence_ref(content, r) for r in records],
    )
    subject = []
    if finding.subject_id and content.has(finding.subject_kind, finding.subject_id):
        subject.append(
            ObjectRef(kind=finding.subject_kind, id=finding.subject_id, label=finding.subject_label)
        )
    shown = [
        ObjectRef(kind=k, id=i, label=i)
        for k, i in (_evidence_ref(content, r).split(":", 1) for r in records)
    ]
    content.issues.append(
        ReportItem(
            title=f"{detection_words(finding.detection).capitalize()}: {finding.subject_label}",
            severity=finding.severity,
            impact=severity_impact(finding.severity, "an attack on identities"),
            detail=", ".join(f"{value} {_key_words(key)}" for key, value in counts.items()),
            steps=_sentences(finding.response),
            objects=subject + shown[:MAX_OBJECTS_PER_ITEM],
            figure=ref,
            count=len(records),
            count_noun="record",
            refs=[f"{o.kind}:{o.id}" for o in subject],
        )
    )
    if finding.sign_ins:
        ids = ", ".join(kql_string(s["id"]) for s in finding.sign_ins)
        content.queries.append(
            Query(
                title=f"Sign-ins of the {detection_words(finding.detection)} finding",
                kql=f"union SigninLogs, AADNonInteractiveUserSignInLogs\n"
                f"| where {kql_between(inputs.window)}\n| where Id in ({ids})\n"
                "| project TimeGenerated, UserPrincipalName, IPAddress, ResultType, "
                "AppDisplayName",
                ref=ref,
            )
        )
    return ref


def _key_words(key: str) -> str:
    """A finding fact's key as words ("failed_attempts" -> "failed attempts")."""
    return key.replace("_", " ")


def build_signins(inputs: ReportInputs, content: Content) -> None:
    """Add the window's sign-in failures by error code, the failing users, failures by day."""
    from idpilot.skills.builtin.signin_summary import SignInSummaryInput, signin_summary

    result = content.take(signin_summary(inputs.store, SignInSummaryInput(window=inputs.window)))
    facts = result.facts
    totals = facts.totals
    total_ref = content.figures.add(
        "sign-in-totals",
        "sign-ins of the window, every user",
        {
            "signIns": totals["sign_ins"],
            "failures": totals["failures"],
            "interrupts": totals["interrupts"],
            "users": totals["users"],
            "failingUsers": totals["failing_users"],
        },
        sources=[f"signIn:{r.id}" for r in result.evidence if r.kind == "signIn"],
        kql=result.kql,
    )
    content.environment = [
        content.figures.value(total_ref, "signIns", "sign-ins in the window"),
        content.figures.value(total_ref, "users", "accounts signing in"),
    ]
    content.headline = [
        content.figures.value(total_ref, "failures", "failed sign-ins"),
        content.figures.value(total_ref, "failingUsers", "accounts with a failure"),
    ]
    from idpilot.knowledge import default_catalog

    catalog = default_catalog()
    for group in facts.top.get("errors", [])[:MAX_ERRORS]:
        code = catalog.get(group["key"])
        curated = code.curated if code else None
        sample = group.get("sample_id")
        sources = [f"signIn:{sample}"] if sample and content.has("signIn", sample) else []
        ref = content.figures.add(
            f"error-{group['key']}",
            f"failures with error {group['key']}",
            {
                "errorCode": group["key"],
                "title": group.get("title") or (code.title if code else ""),
                "failures": group["failures"],
                "users": group["users"],
                "latest": group.get("latest"),
                "cause": curated.cause if curated else "",
                "fix": list(curated.fix) if curated else [],
            },
            sources=sources,
        )
        content.issues.append(
            ReportItem(
                title=f"Error {group['key']}: {group.get('title') or 'sign-in failure'}",
                severity="medium" if group["users"] > 1 else "low",
                impact="People cannot reach the apps they work in",
                detail=curated.cause if curated else "",
                steps=list(curated.fix) if curated else [],
                objects=[
                    ObjectRef(kind="signIn", id=s.split(":", 1)[1], label="") for s in sources
                ],
                figure=ref,
                count=group["failures"],
                count_noun="failure",
                refs=sources,
            )
        )
    _failures_chart(inputs, content)
    if inputs.user_id is not None:
        failures = content.figures.value(
            "reportFigure:failures-by-day",
            "totalFailures",
            f"failed sign-ins of {inputs.user_label}",
        )
        content.headline.append(failures)
    if result.kql:
        content.queries.append(Query(title="Sign-ins and failures by result", kql=result.kql))


def _evidence_ref(content: Content, record_id: str) -> str:
    """The `kind:id` of an evidence record known by id ('' when it is not in the evidence)."""
    for record in content.evidence:
        if record.id == record_id:
            return f"{record.kind}:{record.id}"
    return ""


def _sentences(text: str) -> list[str]:
    """A response paragraph as its sentences (the helpdesk's steps)."""
    return [s.strip().rstrip(".") + "." for s in text.split(". ") if s.strip()]


def _failures_chart(inputs: ReportInputs, content: Content) -> None:
    """Failed sign-ins per day of the window (of the user, when one is named)."""
    from idpilot.knowledge import default_catalog
    from idpilot.store.queries.report_series import sign_ins_by_day

    interrupts = sorted(entry.code for entry in default_catalog() if entry.is_interrupt)
    window = inputs.window
    rows = sign_ins_by_day(inputs.store, window.start, window.end, interrupts, inputs.user_id)
    who = f"| where UserId == {kql_string(inputs.user_id)}\n" if inputs.user_id else ""
    kql = (
        "union SigninLogs, AADNonInteractiveUserSignInLogs\n"
        f"| where {kql_between(window)}\n{who}"
        '| summarize SignIns = count(), Failures = countif(ResultType != "0" and ResultType !in ('
        f"{', '.join(kql_string(str(c)) for c in interrupts)})) "
        "by Day = bin(TimeGenerated, 1d)\n| sort by Day asc"
    )
    ref = content.figures.add(
        "failures-by-day",
        "sign-ins and failures per day" + (f" of {inputs.user_label}" if inputs.user_id else ""),
        {
            "labels": [r["day"] for r in rows],
            "failures": [r["failures"] for r in rows],
            "signIns": [r["sign_ins"] for r in rows],
            "totalFailures": sum(r["failures"] for r in rows),
        },
        kql=kql,
    )
    content.charts.append(
        ChartSpec(
            id="failures-over-time",
            title="Failed sign-ins per day",
            style="line",
            labels=[r["day"] for r in rows],
            series={"failures": [float(r["failures"]) for r in rows]},
            ref=ref,
            caption="Failed sign-ins per day of the window (interrupts such as MFA prompts apart)",
        )
    )
    content.queries.append(Query(title="Failed sign-ins per day", kql=kql, ref=ref))
