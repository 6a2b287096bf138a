"""The composer's templates ship compiled: current, used when they match, ignored when not."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment

from idpilot.copilot import compiled_templates, composer
from idpilot.copilot.compiled_templates import (
    PrecompiledLoader,
    archive_path,
    compiler_settings,
    main,
    shipped_python,
    source_hash,
)

REBUILD = "python -m idpilot.copilot.compiled_templates"


def test_the_shipped_archive_is_current_with_the_templates(tmp_path: Path) -> None:
    assert main(["--check"]) == 0, f"the compiled templates are stale: run `{REBUILD}`"
    rebuilt = tmp_path / "rebuilt.zip"
    assert main(["--out", str(rebuilt)]) == 0
    assert rebuilt.read_bytes() == archive_path().read_bytes()
    assert main(["--check", "--out", str(tmp_path / "missing.zip")]) == 1


def test_every_shipped_template_is_archived_as_jinja_compiles_it() -> None:
    environment, names = composer.shipped_templates()
    assert len(names) > 20 and "role_holders.md.j2" in names
    settings = compiler_settings(environment)
    for name in names:
        source, filename, _ = environment.loader.get_source(environment, name)
        python = shipped_python(archive_path(), name, source_hash(settings, source))
        assert python == environment.compile(source, name, filename, raw=True), name


def test_the_composer_loads_shipped_templates_without_compiling_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    environment, names = composer.shipped_templates()
    fresh = environment.overlay(cache_size=0)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"compiled at run time: {args[1] if len(args) > 1 else args}")

    monkeypatch.setattr(fresh, "compile", refuse)
    for name in names:
        assert fresh.get_template(name).name == name


def test_a_changed_template_is_compiled_from_its_text() -> None:
    environment, _ = composer.shipped_templates()
    edited = Environment(
        loader=PrecompiledLoader(DictLoader({"risky_users.md.j2": "edited {{ 1 + 1 }}"})),
        trim_blocks=environment.trim_blocks,
        lstrip_blocks=environment.lstrip_blocks,
    )
    assert edited.get_template("risky_users.md.j2").render() == "edited 2"


def test_other_compiler_settings_do_not_use_the_archive() -> None:
    environment, _ = composer.shipped_templates()
    source, _, _ = environment.loader.get_source(environment, "risky_users.md.j2")
    plain = Environment()  # no trim_blocks, no finalize: other generated code
    assert compiler_settings(plain) != compiler_settings(environment)
    assert shipped_python(archive_path(), "risky_users.md.j2", source_hash(
        compiler_settings(plain), source
    )) is None  # fmt: skip


def test_a_missing_or_damaged_archive_compiles_every_template(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(b"not a zip")
    for path in (tmp_path / "none.zip", damaged):
        compiled_templates._opened.cache_clear()
        assert shipped_python(path, "risky_users.md.j2", "0" * 64) is None
        loader = PrecompiledLoader(DictLoader({"t": "{{ 6 * 7 }}"}), archive=lambda p=path: p)
        assert Environment(loader=loader).get_template("t").render() == "42"
