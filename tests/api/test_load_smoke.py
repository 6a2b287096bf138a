"""A short load run of `make bench`'s API load (bench/api_load.py): a real `idpilot serve`,
clients asking and streaming while an ingest publishes a new version of the store. It checks
that every request is answered, never how fast (the machine is shared)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.api_load import LoadPlan, run_load, varied_prompts
from idpilot.sources.demo import generate_demo_tenant
from tests.api.served import private_store
from tests.conftest import DemoTenant


def test_the_prompts_are_varied_and_filled(demo_tenant: DemoTenant, demo_store: Path) -> None:
    prompts = varied_prompts(demo_store, demo_tenant.folder)
    assert len(set(prompts)) > 200
    unfilled = re.compile(r"<(?:user|group|role|code)>|\{(?:persona|scenario)\.|\{sql:")
    assert not [prompt for prompt in prompts if unfilled.search(prompt)]


@pytest.mark.slow
def test_a_short_load_with_an_ingest_has_no_errors(demo_tenant: DemoTenant, tmp_path: Path) -> None:
    small = tmp_path / "small-snapshot"
    generate_demo_tenant(small, users=40, days=1)  # the same tenant, quick to ingest
    store = private_store(tmp_path, demo_tenant.store)
    plan = LoadPlan(clients=5, streamers=1, duration=3.0)
    report = run_load(plan, store, small, tmp_path, prompts_from=demo_tenant.folder)
    assert report.errors == []
    assert report.asks and report.streams
    assert report.published  # the ingest published a new version while the server read
    assert any(sample.during_ingest for sample in report.asks)
