"""The identity-attack catalogue: every entry sourced, named in ATT&CK, and recognisable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from idpilot.knowledge.errors import KnowledgeFileError
from idpilot.knowledge.identity_attacks import attack_catalog, load_attack_catalog

REQUIRED = {"aadinternals", "azurehound", "roadtools", "tokentactics", "graphrunner",
            "microburst", "device_code_phishing", "token_theft",
            "aadinternals_federation_backdoor", "consent_grant", "app_credentials"}  # fmt: skip


def test_every_entry_has_attack_ids_sources_and_patterns() -> None:
    catalog = attack_catalog()
    assert {entry.id for entry in catalog.techniques} >= REQUIRED
    for entry in catalog.techniques:
        assert entry.attack and entry.sources and entry.patterns, entry.id
        for technique in entry.attack:
            assert re.fullmatch(r"T\d{4}(?:\.\d{3})?", technique), technique
            assert catalog.attack_name(technique) != technique
        assert all(source.startswith("https://") for source in entry.sources)


def test_a_technique_without_an_attack_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "schema_version: 1\nversion: 1\nattack_names: {}\ntechniques:\n"
        "  - {id: x, name: X, kind: tool, severity: high, attack: [T1528], patterns: [x],"
        " what_to_do: y, sources: ['https://example.org']}\n"
    )
    with pytest.raises(KnowledgeFileError, match="ATT&CK ids without a name"):
        load_attack_catalog(path)
