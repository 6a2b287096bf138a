"""Reports composed once per session on the demo tenant, by kind and audience."""

from __future__ import annotations

from typing import Any

import pytest

from idpilot.reports import Audience, ReportKind, report_answer


@pytest.fixture(scope="session")
def reports(demo_tenant: Any) -> dict[tuple[ReportKind, Audience], Any]:
    """Every report kind for every audience, as the Answer each format is rendered from."""
    return {
        (kind, audience): report_answer(
            demo_tenant.store, {"report_kind": kind.value, "audience": audience.value}
        )
        for kind in ReportKind
        for audience in Audience
    }
