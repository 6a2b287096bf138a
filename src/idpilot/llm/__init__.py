"""Optional LLM support: the chat-model interface, its providers, and scripted test models.

Nothing here imports the `openai` SDK until a model is actually configured.
"""

from idpilot._lazy_exports import lazy_exports
from idpilot.llm.client import (
    ChatMessage,
    ChatModel,
    Failure,
    LLMError,
    ModelTurn,
    ToolCall,
    Usage,
    allow_model_requests,
    model_from_settings,
)
from idpilot.llm.data import quote_data
from idpilot.llm.metering import MeteredModel, ModelCall
from idpilot.llm.scripted import FunctionModel, ModelRequest, ScriptedModel
from idpilot.llm.structured import OutputMode, OutputSchema

__all__ = [
    "AzureOpenAIModel",
    "ChatMessage",
    "ChatModel",
    "Failure",
    "FunctionModel",
    "LLMError",
    "MeteredModel",
    "ModelCall",
    "ModelRequest",
    "ModelTurn",
    "OpenAICompatibleModel",
    "OutputMode",
    "OutputSchema",
    "Provider",
    "ProviderRegistry",
    "ScriptedModel",
    "ToolCall",
    "Usage",
    "allow_model_requests",
    "model_from_settings",
    "quote_data",
]

# Provider classes load on first use (they are the only way to reach a real endpoint).
__getattr__, __dir__ = lazy_exports(
    "idpilot.llm",
    {
        "OpenAICompatibleModel": "openai_compatible",
        "AzureOpenAIModel": "azure",
        "Provider": "providers",
        "ProviderRegistry": "providers",
    },
    globals(),
)
