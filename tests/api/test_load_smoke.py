"""A short load run of `make bench`'s API load (bench/api_load.py): a real `idpilot serve`,
clients asking and streaming while an ingest publishes a new version of the store. It checks
that every request is answered, never how fast (the machine is shared)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.api_load import LoadPlan, run_load, varied_prompts
from bench.api_open_loop import OpenLoopPlan, run_open_loop
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


@pytest.mark.slow
def test_a_short_open_loop_with_an_ingest_answers_every_arrival(
    demo_tenant: DemoTenant, tmp_path: Path
) -> None:
    small = tmp_path / "small-snapshot"
    generate_demo_tenant(small, users=40, days=1)
    store = private_store(tmp_path, demo_tenant.store)
    plan = OpenLoopPlan(rate=4.0, duration=3.0, admins=3, stream_share=0.3, ingest_at=0.1)
    report = run_open_loop(plan, store, small, tmp_path, prompts_from=demo_tenant.folder)
    assert report.errors == []
    assert report.asks and report.streams
    assert report.published
    assert report.arrivals_span >= plan.duration
    assert any(sample.during_ingest for sample in report.asks + report.streams)
    prompts = [prompt for _, prompt in report.slowest]
    assert len(prompts) == len(set(prompts))  # arrivals take the next prompt: none repeats
