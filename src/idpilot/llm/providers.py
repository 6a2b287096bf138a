"""Model providers: the built-ins load through the same hook a plugin uses (like simonw/llm).

A provider is a name, a one-line description and a function that builds a `ChatModel` from the
settings. A plugin module has `register(registry: ProviderRegistry) -> None` and is listed in
the `idpilot.llm_providers` entry-point group; `IDPILOT_LLM_PROVIDER` picks one by name.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points

from idpilot.errors import IdpilotError
from idpilot.llm.client import ChatModel
from idpilot.llm.structured import OutputMode, output_mode_for
from idpilot.settings import get_flag, get_int, get_seconds, get_setting

ENTRY_POINT_GROUP = "idpilot.llm_providers"
BUILTIN_MODULES = ("idpilot.llm.openai_compatible", "idpilot.llm.azure")


@dataclass(frozen=True)
class Provider:
    """One way to reach a model."""

    name: str
    description: str
    build: Callable[[], ChatModel]
    """Builds the model from the settings (an IdpilotError says what is missing)."""


class ProviderRegistry:
    """The providers idpilot knows, by name."""

    def __init__(self) -> None:
        self._providers: dict[str, Provider] = {}

    def add(self, provider: Provider) -> None:
        """Register a provider; a second one of the same name is a programmer error."""
        if provider.name in self._providers:
            raise ValueError(f"LLM provider {provider.name!r} is registered twice")
        self._providers[provider.name] = provider

    def get(self, name: str) -> Provider:
        """The provider called `name` (an IdpilotError naming the known ones if none)."""
        if name not in self._providers:
            known = ", ".join(sorted(self._providers))
            raise IdpilotError(f"IDPILOT_LLM_PROVIDER={name!r} is not a provider; known: {known}")
        return self._providers[name]

    def all(self) -> list[Provider]:
        """Every provider, by name."""
        return [self._providers[name] for name in sorted(self._providers)]


def _register_module(registry: ProviderRegistry, module_name: str) -> None:
    register = getattr(importlib.import_module(module_name), "register", None)
    if register is not None:
        register(registry)


@cache
def default_providers() -> ProviderRegistry:
    """The built-in providers plus every installed plugin's, loaded once."""
    registry = ProviderRegistry()
    for module_name in BUILTIN_MODULES:
        _register_module(registry, module_name)
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        _register_module(registry, entry.value)
    return registry


def build_model() -> ChatModel:
    """The model of the provider `IDPILOT_LLM_PROVIDER` names, built from the settings."""
    return default_providers().get(get_setting("llm_provider").strip()).build()


@dataclass(frozen=True)
class CommonSettings:
    """The settings every provider reads."""

    base_url: str
    model: str
    key: str
    timeout: float
    max_retries: int
    stream: bool
    response_format: str
    small_context: bool

    def require_model(self, what: str = "IDPILOT_LLM_MODEL") -> str:
        """The model name, or an error saying to set it."""
        if not self.model:
            raise IdpilotError(
                f"IDPILOT_LLM_BASE_URL is set ({self.base_url}) but {what} is empty: "
                "name the model to request (for example gpt-4o-mini, or llama3.1 on Ollama)"
            )
        return self.model

    def output_mode(self, provider: str) -> OutputMode:
        """How `provider`'s endpoint takes a JSON schema (IDPILOT_LLM_RESPONSE_FORMAT, or by
        provider when `auto`)."""
        return output_mode_for(provider, self.base_url, self.response_format)

    def api_key(self, *fallbacks: str) -> str:
        """IDPILOT_LLM_API_KEY, else the first of the provider's usual variables that is set."""
        if self.key:
            return self.key
        return next((os.environ[name] for name in fallbacks if os.environ.get(name)), "")


def common_settings() -> CommonSettings:
    """The shared settings, read and checked."""
    return CommonSettings(
        base_url=get_setting("llm_base_url").strip(),
        model=get_setting("llm_model").strip(),
        key=get_setting("llm_api_key").strip(),
        timeout=get_seconds("llm_timeout_seconds"),
        max_retries=get_int("llm_max_retries"),
        stream=get_flag("llm_stream"),
        response_format=get_setting("llm_response_format"),
        small_context=get_flag("llm_small_context"),
    )
