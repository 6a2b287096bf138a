"""Settings: every value is checked against its kind and refused with where it came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from idpilot.errors import SettingError
from idpilot.settings import SETTINGS, get_flag, get_int, get_seconds, get_setting


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty config file named by IDPILOT_CONFIG, and no IDPILOT_ variable set."""
    for setting in SETTINGS:
        monkeypatch.delenv(setting.env, raising=False)
    path = tmp_path / "config.toml"
    path.write_text("")
    monkeypatch.setenv("IDPILOT_CONFIG", str(path))
    return path


@pytest.mark.parametrize("value", ["abc", "0", "-5", "12.5", "²", " ", "1e3"])
def test_a_wrong_whole_number_in_the_environment_is_named(
    config: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("IDPILOT_MAX_PROMPT_CHARS", value)
    with pytest.raises(SettingError, match=r"IDPILOT_MAX_PROMPT_CHARS=.*expected a whole number"):
        get_int("max_prompt_chars")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("max_prompt_chars = [1]", "got a TOML array"),
        ("max_prompt_chars = true", "got a TOML boolean"),
        ("max_prompt_chars = 3.5", "got a TOML float"),
        ("max_prompt_chars = 0", "expected a whole number"),
        ('max_prompt_chars = "many"', "expected a whole number"),
        ("llm_phrase = 3", "got a TOML integer"),
        ('llm_phrase = "perhaps"', "expected true or false"),
        ("store = 5", "got a TOML integer"),
        ("store = {path = 'x'}", "got a TOML table"),
        ("store_wait_seconds = -1", "expected a number of seconds"),
    ],
)
def test_a_config_value_of_the_wrong_type_is_named(config: Path, line: str, expected: str) -> None:
    config.write_text(line + "\n")
    name = line.split(" =")[0]
    with pytest.raises(SettingError) as caught:
        get_setting(name)
    assert str(caught.value).startswith(f"{config}: {name} = ")
    assert expected in str(caught.value)


def test_config_values_of_the_right_type_are_read(config: Path) -> None:
    config.write_text(
        'max_prompt_chars = 2000\nllm_phrase = true\nstore_wait_seconds = 2.5\nstore = "x.duckdb"\n'
    )
    assert get_int("max_prompt_chars") == 2000
    assert get_flag("llm_phrase") is True
    assert get_seconds("store_wait_seconds") == 2.5
    assert get_setting("store") == "x.duckdb"


def test_the_environment_wins_over_the_config(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config.write_text("max_prompt_chars = 2000\n")
    monkeypatch.setenv("IDPILOT_MAX_PROMPT_CHARS", "300")
    assert get_int("max_prompt_chars") == 300


def test_a_changed_config_file_is_read_again(config: Path) -> None:
    config.write_text("max_prompt_chars = 2000\n")
    assert get_int("max_prompt_chars") == 2000
    config.write_text("max_prompt_chars = 1500\n")
    assert get_int("max_prompt_chars") == 1500


def test_a_config_file_that_is_not_there_is_named(
    config: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("IDPILOT_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(SettingError, match=r"IDPILOT_CONFIG=.*missing\.toml.*no such file"):
        get_setting("max_prompt_chars")


def test_no_config_variable_means_the_default_file_if_any(
    config: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("IDPILOT_CONFIG")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert get_setting("max_prompt_chars") == "4000"


def test_invalid_toml_is_named(config: Path) -> None:
    config.write_text("max_prompt_chars = = 3\n")
    with pytest.raises(SettingError, match=rf"{config}: invalid TOML"):
        get_setting("max_prompt_chars")


def test_a_flag_accepts_the_usual_spellings(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for value, expected in [("Yes", True), ("on", True), ("1", True), ("off", False), ("", False)]:
        monkeypatch.setenv("IDPILOT_LLM_PHRASE", value)
        assert get_flag("llm_phrase") is expected
