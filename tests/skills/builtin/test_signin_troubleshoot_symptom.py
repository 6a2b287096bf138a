"""signin_troubleshoot: the symptom a question names picks the person and the failure explained."""

from __future__ import annotations

from pathlib import Path

from idpilot.skills import default_registry
from idpilot.skills.builtin.signin_troubleshoot import Symptom, shows_symptom
from tests.security.builder import TenantBuilder

MAIL_APP = "33333333-3333-4333-8333-333333333333"


def _troubleshoot(tmp_path: Path, t: TenantBuilder, params: dict[str, object]):
    store = t.store(tmp_path / "snap")
    return default_registry().get("signin_troubleshoot").run(store, params)


def test_of_two_people_a_name_fits_the_one_locked_out(tmp_path: Path) -> None:
    """ "tomas locked out?": both failed to sign in, only one was locked out."""
    t = TenantBuilder()
    locked, typo = t.user("Tomas Novak"), t.user("Tomas Lind")
    t.sign_in(locked, t.ago(days=1), error=50053, appId=MAIL_APP, appDisplayName="Mail")
    t.sign_in(typo, t.ago(hours=5), error=50126, appId=MAIL_APP, appDisplayName="Mail")
    result = _troubleshoot(tmp_path, t, {"user": "tomas", "symptom": "lockout"})
    assert result.status.value == "ok"
    assert result.facts.user.displayName == "Tomas Novak"
    assert result.facts.chosen_by_symptom is Symptom.lockout
    assert [o.displayName for o in result.facts.chosen_from_ambiguous] == ["Tomas Lind"]


def test_without_a_symptom_both_failing_people_stay_ambiguous(tmp_path: Path) -> None:
    t = TenantBuilder()
    locked, typo = t.user("Tomas Novak"), t.user("Tomas Lind")
    t.sign_in(locked, t.ago(days=1), error=50053, appId=MAIL_APP, appDisplayName="Mail")
    t.sign_in(typo, t.ago(hours=5), error=50126, appId=MAIL_APP, appDisplayName="Mail")
    result = _troubleshoot(tmp_path, t, {"user": "tomas"})
    assert result.status.value == "ambiguous"


def test_the_failure_explained_is_the_latest_showing_the_symptom(tmp_path: Path) -> None:
    """ "why was she locked out?": the lockout, though a wrong password came after it."""
    t = TenantBuilder()
    user = t.user("Ruth Locked")
    lockout = t.sign_in(user, t.ago(days=2), error=50053, appId=MAIL_APP, appDisplayName="Mail")
    later = t.sign_in(user, t.ago(days=1), error=50126, appId=MAIL_APP, appDisplayName="Mail")
    asked = _troubleshoot(tmp_path, t, {"user": user["id"], "symptom": "lockout"})
    assert asked.facts.primary["sign_in_id"] == lockout["id"]
    plain = _troubleshoot(tmp_path / "again", t, {"user": user["id"]})
    assert plain.facts.primary["sign_in_id"] == later["id"]


def test_symptoms_read_the_catalogs_categories() -> None:
    assert shows_symptom(Symptom.lockout, [50126, 50053])
    assert not shows_symptom(Symptom.lockout, [50126])
    assert shows_symptom(Symptom.mfa, [50074])
    assert shows_symptom(Symptom.policy, [53003])
    assert not shows_symptom(Symptom.policy, [50126])


def test_nothing_failed_in_the_window_says_what_succeeded_in_it(tmp_path: Path) -> None:
    """ "which policy blocked him from the Tor address on Tuesday?" when it went through: the
    sign-ins that succeeded then, with their address, are the answer; the older failure
    follows."""
    t = TenantBuilder()
    user = t.user("Bob Tor")
    t.sign_in(user, t.ago(days=3), error=50126, appId=MAIL_APP, appDisplayName="Mail")
    tor = t.sign_in(user, t.ago(hours=30), ip="185.220.100.252", appId=MAIL_APP)
    window = {"start": t.ago(hours=36), "end": t.ago(hours=24), "phrase": "on Tuesday"}
    result = _troubleshoot(tmp_path, t, {"user": user["id"], "window": window})
    assert result.facts.in_window is False
    assert result.facts.window_success_count == 1
    [success] = result.facts.window_successes
    assert success.ip == "185.220.100.252" and success.sign_in_ids == [tor["id"]]
    assert result.facts.primary is not None  # the older failure is still explained
