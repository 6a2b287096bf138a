"""Azure OpenAI: a deployment, an api-version, and an API key or an Entra ID token.

With an API key (`IDPILOT_LLM_API_KEY`, else `AZURE_OPENAI_API_KEY`) requests carry `api-key`;
without one idpilot signs in with Entra ID through `azure-identity` (`DefaultAzureCredential`:
environment, workload or managed identity, Azure CLI...) and sends a bearer token for the
Cognitive Services scope, refreshed by the SDK's token provider. `azure-identity` is imported
only then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from idpilot.errors import IdpilotError
from idpilot.llm.client import INSTALL_HINT, Failure, LLMError
from idpilot.llm.openai_compatible import OpenAICompatibleModel

COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default"
TokenProvider = Callable[[], str]


@dataclass
class AzureOpenAIModel(OpenAICompatibleModel):
    """A deployment of Azure OpenAI (`base_url` is the resource endpoint)."""

    deployment: str = ""
    api_version: str = "2024-10-21"
    token_provider: TokenProvider | None = field(default=None, repr=False)
    """Returns an Entra ID access token; used when there is no API key."""

    def make_client(self, openai: Any) -> Any:
        """The SDK's Azure client for the deployment (its own retries off)."""
        deployment = self.deployment or self.name
        credentials: dict[str, Any] = (
            {"api_key": self.api_key}
            if self.api_key
            else {"azure_ad_token_provider": _reported(self.token_provider or entra_token())}
        )
        return openai.AzureOpenAI(
            azure_endpoint=self.base_url,
            azure_deployment=deployment,
            api_version=self.api_version,
            timeout=self.timeout,
            max_retries=0,
            **credentials,
        )

    @property
    def where(self) -> str:
        """The deployment and endpoint, as messages name them."""
        return f"Azure OpenAI deployment {self.deployment or self.name!r} at {self.base_url}"

    def credentials_hint(self) -> str:
        """What to check when Azure refuses the credentials."""
        if self.api_key:
            return "check IDPILOT_LLM_API_KEY (the resource's key 1 or key 2)"
        return "the Entra ID identity needs the role Cognitive Services OpenAI User on the resource"

    def model_hint(self) -> str:
        """What to check when Azure does not know the deployment."""
        return (
            "check IDPILOT_LLM_AZURE_DEPLOYMENT (the deployment's name, not the model's), "
            "IDPILOT_LLM_AZURE_API_VERSION and that IDPILOT_LLM_BASE_URL is the resource endpoint"
        )


def entra_token() -> TokenProvider:
    """A bearer-token provider for Azure OpenAI from azure-identity's default credential."""
    try:
        from azure.identity import DefaultAzureCredential, get_bearer_token_provider
    except ImportError:
        raise IdpilotError(
            "Azure OpenAI without an API key signs in with Entra ID, which needs azure-identity: "
            + INSTALL_HINT
        ) from None
    provider: TokenProvider = get_bearer_token_provider(
        DefaultAzureCredential(), COGNITIVE_SERVICES_SCOPE
    )
    return provider


def _reported(provider: TokenProvider) -> TokenProvider:
    """The provider, with a failure to get a token turned into an LLMError saying so."""

    def token() -> str:
        try:
            return provider()
        except Exception as error:  # azure-identity raises several unrelated types
            raise LLMError(
                f"cannot get an Entra ID token for Azure OpenAI ({type(error).__name__}: "
                f"{' '.join(str(error).split())[:200]}); sign in (az login), or set a managed "
                "identity, or set IDPILOT_LLM_API_KEY",
                Failure.auth,
            ) from None

    return token


def register(registry: Any) -> None:
    """Add the Azure OpenAI provider (the providers' plugin hook)."""
    from idpilot.llm.providers import Provider

    registry.add(
        Provider(
            name="azure",
            description="Azure OpenAI: deployment and api-version; API key or Entra ID token.",
            build=build_from_settings,
        )
    )


def build_from_settings() -> AzureOpenAIModel:
    """The Azure OpenAI model the settings describe."""
    from idpilot.llm.providers import common_settings
    from idpilot.settings import get_setting

    common = common_settings()
    deployment = get_setting("llm_azure_deployment").strip() or common.model
    if not deployment:
        raise IdpilotError(
            f"IDPILOT_LLM_PROVIDER=azure with endpoint {common.base_url} needs a deployment: "
            "set IDPILOT_LLM_AZURE_DEPLOYMENT (or IDPILOT_LLM_MODEL)"
        )
    return AzureOpenAIModel(
        base_url=common.base_url,
        name=common.model or deployment,
        api_key=common.api_key("AZURE_OPENAI_API_KEY"),
        timeout=common.timeout,
        max_retries=common.max_retries,
        stream=common.stream,
        output_mode=common.output_mode("azure"),
        small_context=common.small_context,
        deployment=deployment,
        api_version=get_setting("llm_azure_api_version").strip(),
    )
