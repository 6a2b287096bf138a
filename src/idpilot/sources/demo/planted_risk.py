"""The Identity Protection side of the planted scenarios: user and workload identity risk."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from . import geo
from .ids import CAPTURED_AT, iso
from .risk import (
    risk_detection,
    risky_service_principal,
    risky_user,
    service_principal_risk_detection,
)

if TYPE_CHECKING:
    from .scenarios import Planter


def _later(stamp: str, minutes: float) -> str:
    """`minutes` after a Graph timestamp, never past the capture time."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")) + timedelta(minutes=minutes)
    return iso(min(moment, CAPTURED_AT))


def plant_user_risk(planter: Planter, rng: random.Random) -> None:
    """Risk detections and risky users for the sign-in scenarios, then closed-out noise."""
    t, p, found = planter.tenant, planter.p, planter.found
    bob = p["bob"]
    leak_time = iso(planter.when(5, 6.5))
    leaked = risk_detection(
        rng,
        bob,
        "leakedCredentials",
        "high",
        activity_time=leak_time,
        detected_time=leak_time,
        timing="offline",
        source="IdentityProtection",
    )
    tor = planter.bob_tor
    anonymous = risk_detection(
        rng,
        bob,
        "anonymizedIPAddress",
        "medium",
        activity_time=tor["createdDateTime"],
        detected_time=tor["createdDateTime"],
        timing="realtime",
        sign_in=tor,
    )
    spray = planter.spray_success
    victim = p["spray_victim"]
    spray_detection = risk_detection(
        rng,
        victim,
        "passwordSpray",
        "high",
        activity_time=spray["createdDateTime"],
        detected_time=_later(spray["createdDateTime"], 300),
        timing="offline",
        sign_in=spray,
    )
    travel = planter.travel[1]
    traveller = p["impossible_travel_user"]
    travel_detection = risk_detection(
        rng,
        traveller,
        "unlikelyTravel",
        "medium",
        activity_time=travel["createdDateTime"],
        detected_time=_later(travel["createdDateTime"], 180),
        timing="offline",
        sign_in=travel,
    )
    fatigue = planter.fatigue_success
    fatigued = p["mfa_fatigue_user"]
    fatigue_detection = risk_detection(
        rng,
        fatigued,
        "unfamiliarFeatures",
        "medium",
        activity_time=fatigue["createdDateTime"],
        detected_time=fatigue["createdDateTime"],
        timing="realtime",
        sign_in=fatigue,
    )
    t.risk_detections += [leaked, anonymous, spray_detection, travel_detection, fatigue_detection]
    t.risky_users += [
        risky_user(bob, "high", "atRisk", "none", anonymous["detectedDateTime"]),
        risky_user(victim, "high", "atRisk", "none", spray_detection["detectedDateTime"]),
        risky_user(traveller, "medium", "atRisk", "none", travel_detection["detectedDateTime"]),
        risky_user(fatigued, "medium", "atRisk", "none", fatigue_detection["detectedDateTime"]),
    ]
    planter.cite(found["leaked_credentials"], "riskDetection", leaked["id"], anonymous["id"])
    planter.cite(found["password_spray"], "riskDetection", spray_detection["id"])
    planter.cite(found["impossible_travel"], "riskDetection", travel_detection["id"])
    planter.cite(found["mfa_fatigue"], "riskDetection", fatigue_detection["id"])
    _noise_risk(planter, rng)


NOISE_TYPES = ("unfamiliarFeatures", "maliciousIPAddress", "riskyIPAddress", "mcasImpossibleTravel")


def _noise_risk(planter: Planter, rng: random.Random) -> None:
    """Closed-out detections for ordinary users, on their real sign-ins."""
    t = planter.tenant
    for i, row in enumerate(planter.noise_candidates):
        user = t.user(row["userId"])
        state, detail = (
            ("remediated", "userPerformedSecuredPasswordReset")
            if i % 2
            else ("dismissed", "adminDismissedAllRiskForUser")
        )
        detection = risk_detection(
            rng,
            user,
            NOISE_TYPES[i % len(NOISE_TYPES)],
            "low",
            activity_time=row["createdDateTime"],
            detected_time=_later(row["createdDateTime"], 90),
            timing="offline" if i % 3 else "realtime",
            sign_in=row,
            state=state,
            detail=detail,
        )
        t.risk_detections.append(detection)
        t.risky_users.append(
            risky_user(user, "none", state, detail, _later(detection["detectedDateTime"], 600))
        )


def plant_workload_risk(planter: Planter, rng: random.Random) -> None:
    """The risky workload identity scenario: a leaked app secret, then suspicious sign-ins."""
    t = planter.tenant
    sp = t.apps["legacy_sync"]
    app = t.app_objects["legacy_sync"]
    key_ids = [c["keyId"] for c in app["passwordCredentials"]]
    when = iso(planter.when(7, 11.4))
    leaked = service_principal_risk_detection(
        rng,
        sp,
        "leakedCredentials",
        "high",
        activity_time=when,
        detected_time=when,
        key_ids=key_ids,
    )
    later = iso(planter.when(2, 4.2))
    suspicious = service_principal_risk_detection(
        rng,
        sp,
        "suspiciousSignins",
        "medium",
        activity_time=later,
        detected_time=later,
        key_ids=key_ids,
        ip=geo.WORKLOAD_ATTACK_IP,
        location=geo.WORKLOAD_ATTACK_PLACE.location(),
    )
    t.sp_risk_detections += [leaked, suspicious]
    t.risky_service_principals.append(risky_service_principal(sp, "high", "atRisk", later))
    entry = planter.scenario(
        "risky_workload_identity",
        "Risky workload identity",
        f"The client secret of '{sp['displayName']}' was found in a public repository "
        "(leakedCredentials, high) and the app then signed in from an unfamiliar Hong Kong IP.",
        servicePrincipalId=sp["id"],
        appId=sp["appId"],
    )
    planter.cite(entry, "servicePrincipal", sp["id"])
    planter.cite(entry, "servicePrincipalRiskDetection", leaked["id"], suspicious["id"])
    entry["facts"] = {
        "riskLevel": "high",
        "riskState": "atRisk",
        "riskEventTypes": ["leakedCredentials", "suspiciousSignins"],
        "graphPermissions": ["Mail.ReadWrite", "User.Read.All"],
    }
