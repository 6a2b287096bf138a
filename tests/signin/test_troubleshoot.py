"""signin_troubleshoot on the fixture tenant: causes, patterns, proved fixes, ambiguity."""

from __future__ import annotations

from datetime import UTC, datetime

from idpilot.copilot.engine import Copilot
from idpilot.skills import default_registry
from signin.tenant import SPRAY_IP, P, U

MORNING = {
    "start": datetime(2024, 5, 20, tzinfo=UTC),
    "end": datetime(2024, 5, 20, 12, tzinfo=UTC),
    "phrase": "this morning",
}


def _run(store, **params):
    return default_registry().get("signin_troubleshoot").run(store, params)


def test_device_policy_failure_explained_and_fixes_proved(store) -> None:
    result = _run(store, user=U["alice"], window=MORNING)
    primary = result.facts.primary
    assert primary["error_code"] == 53000
    assert primary["explanation"]["who_fixes"]
    failing = {p["id"]: p for p in primary["ca"]["failing_policies"]}
    assert failing[P["compliant"]]["unsatisfied_controls"] == ["compliantDevice"]
    fixes = {f["kind"]: f for f in primary["fixes"]}
    assert fixes["compliantDevice"]["allowed"] is True
    assert fixes["trustedLocation"]["allowed"] is False
    assert fixes["trustedLocation"]["address"].startswith("203.0.113.")
    assert primary["fixes"][-1]["weakens_security"] is True
    assert primary["mfa"]["succeeded"] is True
    kinds = {e.kind for e in result.evidence}
    assert {"signIn", "conditionalAccessPolicy", "namedLocation", "user"} <= kinds


def test_interrupt_followed_by_success_is_not_a_failure(store) -> None:
    result = _run(store, user=U["alice"], window=MORNING)
    [interrupt] = result.facts.interrupts
    assert interrupt.codes == [50074, 0]
    assert result.facts.primary["correlation_id"] != interrupt.correlation_id


def test_lockout_after_wrong_passwords(store) -> None:
    primary = _run(store, user="Bob Smith").facts.primary
    assert primary["error_code"] == 50053
    assert primary["patterns"]["lockout"]["wrong_passwords"] == 4
    assert primary["ca"]["failing_policies"] == [] and primary["fixes"] == []


def test_password_spray(store) -> None:
    primary = _run(store, user="Carl Spray").facts.primary
    spray = primary["patterns"]["password_spray"]
    assert spray["ip"] == SPRAY_IP and spray["users"] == 10


def test_mfa_fatigue_then_approval(store) -> None:
    primary = _run(store, user="Mia Fatigue").facts.primary
    fatigue = primary["patterns"]["mfa_fatigue"]
    assert fatigue["prompts"] == 6
    assert fatigue["approved_sign_in_id"]
    assert primary["mfa"]["denied"] is True


def test_legacy_protocol_block_and_modern_client_fix(store) -> None:
    primary = _run(store, user="larry.legacy@contoso.example").facts.primary
    assert primary["legacy_protocol"] is True
    assert [p["id"] for p in primary["ca"]["failing_policies"]] == [P["legacy"]]
    fixes = {f["kind"]: f for f in primary["fixes"]}
    assert fixes["modernClient"]["allowed"] is True
    assert fixes["mfa"]["allowed"] is False


def test_no_failure_in_window_shows_latest(store) -> None:
    early = {
        "start": datetime(2024, 5, 1, tzinfo=UTC),
        "end": datetime(2024, 5, 2, tzinfo=UTC),
        "phrase": "May 1",
    }
    result = _run(store, user=U["alice"], window=early)
    assert result.facts.in_window is False
    assert result.facts.primary["error_code"] == 53000


def test_user_without_failures(store) -> None:
    result = _run(store, user="Alice Other")
    assert result.facts.primary is None


def test_ambiguous_name_picks_the_one_with_failures(store) -> None:
    result = _run(store, user="alice", window=MORNING)
    assert result.facts.user.id == U["alice"]
    assert [o.id for o in result.facts.chosen_from_ambiguous] == [U["alice2"]]


def test_ask_why_did_alice_fail(store) -> None:
    answer = Copilot(store).ask("why did alice fail to sign in this morning?")
    assert answer.skills[0].name == "signin_troubleshoot"
    assert "Alice Other" in answer.answer  # the other candidate is named and cited
    assert "WEAKENS SECURITY" in answer.answer
    cited = {c.id for c in answer.citations}
    assert {U["alice"], U["alice2"], P["compliant"]} <= cited


def test_ask_prompts_route_to_troubleshoot(store) -> None:
    for prompt in (
        "why can't larry.legacy@contoso.example sign in?",
        "Why was Bob Smith locked out?",
        "troubleshoot Mia Fatigue sign-in failures",
    ):
        answer = Copilot(store).ask(prompt)
        assert answer.skills[0].name == "signin_troubleshoot", prompt


def test_a_wrong_password_says_conditional_access_was_not_evaluated(store) -> None:
    answer = Copilot(store).ask("why did Bob Smith fail to sign in?")
    assert "Conditional Access** was not evaluated" in answer.answer
    assert "Re-evaluated by idpilot" not in answer.answer
    result = default_registry().get("signin_troubleshoot").run(store, {"user": U["bob"]})
    ca = result.facts.primary["ca"]
    assert ca["outcome"] == "notEvaluated"
    assert ca["not_evaluated"]["code"] in (50126, 50053)
    assert ca["not_evaluated"]["recorded_not_applied"] is True
    assert "the log records every policy as not applied" in answer.answer


def test_spray_and_fatigue_have_one_definition(store) -> None:
    """The troubleshooting patterns are the detections' findings, thresholds included."""
    from datetime import timedelta

    import idpilot.ca_analysis.sign_in_patterns as patterns
    from idpilot.model.windows import TimeWindow
    from idpilot.security.detections.sign_ins import mfa_fatigue, password_spray

    for own in ("SPRAY_MIN_USERS", "SPRAY_WINDOW", "FATIGUE_MIN_PROMPTS", "FATIGUE_WINDOW"):
        assert not hasattr(patterns, own)
    captured = store.captured_at()
    window = TimeWindow(start=captured - timedelta(days=30), end=captured + timedelta(days=1))
    [spray] = [f for f in password_spray(store, window) if f.subject_id == SPRAY_IP]
    troubleshoot = _run(store, user="Carl Spray").facts.primary["patterns"]
    assert troubleshoot["password_spray"]["users"] == spray.facts["distinct_users"]
    [fatigue] = [f for f in mfa_fatigue(store, window) if f.subject_id == U["mia"]]
    mia = _run(store, user="Mia Fatigue").facts.primary["patterns"]["mfa_fatigue"]
    assert mia["prompts"] == fatigue.facts["denied_prompts"]
    assert mia["approved_sign_in_id"] == fatigue.facts["approval_sign_in_id"]


def test_the_answer_says_whether_the_user_got_in_after_the_failure(store) -> None:
    """ "Is she fine now?": the first success to the same app after the failure, or none."""
    for user in (U["alice"], "Bob Smith", "Carl Spray", "Mia Fatigue"):
        result = _run(store, user=user)
        primary, facts = result.facts.primary, result.facts
        assert (facts.since_then is None) == facts.failing_since, user
        if facts.since_then is not None:
            assert facts.since_then.when > primary["when"] and facts.since_then.error_code in (
                0,
                None,
            )
            assert facts.since_then.app == primary["app"]
            assert facts.since_then.sign_in_ids[-1] in {e.id for e in result.evidence}
    outcomes = {
        _run(store, user=u).facts.failing_since
        for u in (U["alice"], "Bob Smith", "Carl Spray", "Mia Fatigue")
    }
    assert outcomes == {True, False}, "the fixture has users of both kinds"
