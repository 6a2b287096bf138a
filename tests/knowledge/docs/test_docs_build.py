"""Building the index file from pinned pages: from a git clone and from a folder, reproducibly."""

from __future__ import annotations

import subprocess
from pathlib import Path

from idpilot.knowledge.docs.build import build, folder_reader, git_reader
from idpilot.knowledge.docs.index import DocsIndex, read_index_file

PAGE = "docs/identity/conditional-access/sample.md"
TEXT = """---
title: Sample policy page
---
# Sample policy page

Report-only mode lets administrators evaluate a policy before enforcing it.

## Named locations

Named locations are defined by IPv4 and IPv6 address ranges or by countries/regions.
"""


def _git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@t.test", *args],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout.strip()


def test_a_clone_and_a_folder_of_the_same_pages_build_the_same_bytes(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    (clone / PAGE).parent.mkdir(parents=True)
    (clone / PAGE).write_text(TEXT, encoding="utf-8")
    _git(clone, "init", "-q")
    _git(clone, "add", ".")
    _git(clone, "commit", "-q", "-m", "page")
    commit = _git(clone, "rev-parse", "HEAD")
    (clone / PAGE).write_text("changed after the pinned commit\n", encoding="utf-8")

    from_git = tmp_path / "git.jsonl.gz"
    from_folder = tmp_path / "folder.jsonl.gz"
    assert build(git_reader(clone / ".git"), from_git, {PAGE: commit}) == 2
    pages = tmp_path / "pages"
    (pages / PAGE).parent.mkdir(parents=True)
    (pages / PAGE).write_text(TEXT, encoding="utf-8")
    build(folder_reader(pages), from_folder, {PAGE: commit})
    assert from_git.read_bytes() == from_folder.read_bytes()

    header, sections = read_index_file(from_git)
    assert header["pages"][0]["commit"] == commit
    assert [s.heading for s in sections] == ["Sample policy page", "Named locations"]


def test_a_built_file_loads_and_answers(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    (pages / PAGE).parent.mkdir(parents=True)
    (pages / PAGE).write_text(TEXT, encoding="utf-8")
    built = tmp_path / "index.jsonl.gz"
    build(folder_reader(pages), built, {PAGE: "0" * 40})
    hits = DocsIndex.load(built).search("how are named locations defined?")
    assert hits and hits[0].section.heading == "Named locations"
