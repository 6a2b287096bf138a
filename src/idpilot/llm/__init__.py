"""Optional LLM support: an OpenAI-compatible client and scripted test models.

Nothing here imports the `openai` SDK until a model is actually configured.
"""

from idpilot.llm.client import (
    ChatMessage,
    ChatModel,
    LLMError,
    ModelTurn,
    OpenAICompatibleModel,
    ToolCall,
    allow_model_requests,
    model_from_settings,
)
from idpilot.llm.data import quote_data
from idpilot.llm.scripted import FunctionModel, ModelRequest, ScriptedModel

__all__ = [
    "ChatMessage",
    "ChatModel",
    "FunctionModel",
    "LLMError",
    "ModelRequest",
    "ModelTurn",
    "OpenAICompatibleModel",
    "ScriptedModel",
    "ToolCall",
    "allow_model_requests",
    "model_from_settings",
    "quote_data",
]
