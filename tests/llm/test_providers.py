"""Providers: chosen by setting, built from settings, and extensible through entry points."""

from __future__ import annotations

import sys
import types

import pytest

from idpilot.errors import IdpilotError, SettingError
from idpilot.llm import AzureOpenAIModel, OpenAICompatibleModel, ScriptedModel, model_from_settings
from idpilot.llm import providers as providers_module
from idpilot.llm.providers import Provider, ProviderRegistry, default_providers
from idpilot.llm.structured import OutputMode


def test_the_builtin_providers_are_registered_like_plugins() -> None:
    assert [p.name for p in default_providers().all()] == ["azure", "openai"]


def test_the_openai_compatible_provider_reads_every_setting(
    no_llm_settings: pytest.MonkeyPatch,
) -> None:
    env = no_llm_settings
    env.setenv("IDPILOT_LLM_BASE_URL", "http://127.0.0.1:8080/v1")
    env.setenv("IDPILOT_LLM_MODEL", "qwen2.5-coder-1.5b")
    env.setenv("IDPILOT_LLM_TIMEOUT_SECONDS", "12.5")
    env.setenv("IDPILOT_LLM_MAX_RETRIES", "0")
    env.setenv("IDPILOT_LLM_STREAM", "true")
    env.setenv("IDPILOT_LLM_RESPONSE_FORMAT", "json_object")
    env.setenv("IDPILOT_LLM_SMALL_CONTEXT", "yes")
    env.setenv("OPENAI_API_KEY", "sk-not-for-a-local-server")
    model = model_from_settings()
    assert isinstance(model, OpenAICompatibleModel) and not isinstance(model, AzureOpenAIModel)
    assert (model.base_url, model.name, model.timeout, model.max_retries) == (
        "http://127.0.0.1:8080/v1",
        "qwen2.5-coder-1.5b",
        12.5,
        0,
    )
    assert model.stream and model.api_key == ""
    assert model.output_mode is OutputMode.json_object and model.small_context


def test_the_azure_provider_reads_deployment_version_and_key(
    no_llm_settings: pytest.MonkeyPatch,
) -> None:
    env = no_llm_settings
    env.setenv("IDPILOT_LLM_PROVIDER", "azure")
    env.setenv("IDPILOT_LLM_BASE_URL", "http://127.0.0.1:9/")
    with pytest.raises(IdpilotError, match="set IDPILOT_LLM_AZURE_DEPLOYMENT"):
        model_from_settings()
    env.setenv("IDPILOT_LLM_AZURE_DEPLOYMENT", "prod-gpt4o")
    env.setenv("AZURE_OPENAI_API_KEY", "azure-key")
    model = model_from_settings()
    assert isinstance(model, AzureOpenAIModel)
    assert (model.deployment, model.api_version, model.api_key) == (
        "prod-gpt4o",
        "2024-10-21",
        "azure-key",
    )
    assert "azure-key" not in repr(model)


def test_azure_without_a_key_needs_azure_identity(
    no_llm_settings: pytest.MonkeyPatch,
) -> None:
    env = no_llm_settings
    env.setenv("IDPILOT_LLM_PROVIDER", "azure")
    env.setenv("IDPILOT_LLM_BASE_URL", "http://127.0.0.1:9/")
    env.setenv("IDPILOT_LLM_MODEL", "gpt-4o")
    env.setitem(sys.modules, "azure.identity", None)  # `import azure.identity` fails
    with pytest.raises(IdpilotError, match=r"needs azure-identity: .*pip install 'idpilot\[llm\]'"):
        model_from_settings()


def test_an_unknown_provider_names_the_known_ones(no_llm_settings: pytest.MonkeyPatch) -> None:
    no_llm_settings.setenv("IDPILOT_LLM_PROVIDER", "bedrock")
    no_llm_settings.setenv("IDPILOT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    with pytest.raises(IdpilotError, match="'bedrock' is not a provider; known: azure, openai"):
        model_from_settings()


def test_a_negative_retry_count_is_refused(no_llm_settings: pytest.MonkeyPatch) -> None:
    from idpilot.settings import get_int

    no_llm_settings.setenv("IDPILOT_LLM_MAX_STEPS", "-1")
    with pytest.raises(SettingError, match="IDPILOT_LLM_MAX_STEPS='-1': expected a whole number"):
        get_int("llm_max_steps")
    no_llm_settings.setenv("IDPILOT_LLM_MAX_STEPS", "0")
    assert get_int("llm_max_steps") == 0


def test_a_plugin_adds_a_provider_through_the_entry_point_group(
    no_llm_settings: pytest.MonkeyPatch,
) -> None:
    plugin = types.ModuleType("idpilot_echo_provider")
    scripted = ScriptedModel(name="echo")

    def register(registry: ProviderRegistry) -> None:
        registry.add(Provider(name="echo", description="Echoes.", build=lambda: scripted))

    plugin.register = register  # type: ignore[attr-defined]
    no_llm_settings.setitem(sys.modules, "idpilot_echo_provider", plugin)

    class Entry:
        value = "idpilot_echo_provider"

    def entry_points(group: str) -> list[Entry]:
        return [Entry()] if group == providers_module.ENTRY_POINT_GROUP else []

    no_llm_settings.setattr(providers_module, "entry_points", entry_points)
    default_providers.cache_clear()
    try:
        no_llm_settings.setenv("IDPILOT_LLM_PROVIDER", "echo")
        no_llm_settings.setenv("IDPILOT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
        assert model_from_settings() is scripted
        with pytest.raises(ValueError, match="registered twice"):
            register(default_providers())
    finally:
        default_providers.cache_clear()


def test_the_response_format_is_chosen_by_provider_unless_set(
    no_llm_settings: pytest.MonkeyPatch,
) -> None:
    env = no_llm_settings
    env.setenv("IDPILOT_LLM_MODEL", "some-model")
    env.setenv("IDPILOT_LLM_API_KEY", "key")
    chosen = {}
    for provider, url in (
        ("openai", "http://127.0.0.1:8080/v1"),
        ("openai", "https://api.openai.com/v1"),
        ("azure", "https://contoso.openai.azure.com"),
    ):
        env.setenv("IDPILOT_LLM_PROVIDER", provider)
        env.setenv("IDPILOT_LLM_BASE_URL", url)
        model = model_from_settings()
        assert isinstance(model, OpenAICompatibleModel) and not model.small_context
        chosen[url] = model.output_mode
    assert list(chosen.values()) == [
        OutputMode.none,
        OutputMode.json_schema,
        OutputMode.json_schema,
    ]
    env.setenv("IDPILOT_LLM_RESPONSE_FORMAT", "none")
    assert model_from_settings().output_mode is OutputMode.none  # type: ignore[union-attr]
    env.setenv("IDPILOT_LLM_RESPONSE_FORMAT", "grammar")
    with pytest.raises(IdpilotError, match="IDPILOT_LLM_RESPONSE_FORMAT='grammar' is not one of"):
        model_from_settings()
